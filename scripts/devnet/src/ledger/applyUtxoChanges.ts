import { CML, coreToUtxo, type UTxO } from '@lucid-evolution/lucid'
import type { UtxoEntry } from '../rules/resolveInputs.js'
import type { RuleContext } from '../rules/RuleContext.js'

/**
 * The Emulator's UTxO tables a tx changes: the confirmed ledger, the mempool (outputs of txs not yet
 * in a block) and the datum table (witness datums by hash).
 *
 * @example
 * const tables: UtxoTables = { ledger: devnet.ledger, mempool: devnet.mempool, datumTable: devnet.datumTable }
 */
export interface UtxoTables {
  readonly ledger: Record<string, UtxoEntry>
  readonly mempool: Record<string, UtxoEntry>
  readonly datumTable: Record<string, string>
}

/**
 * What applying a tx to the UTxO tables did, for its undo: the UTxOs it spent, the out-refs it
 * created (tx hash + index), the datum hashes it added.
 *
 * @example
 * const { created } = applyUtxoChanges(tables, ctx)
 */
export interface UtxoChanges {
  readonly spent: readonly UTxO[]
  readonly created: readonly string[]
  readonly addedDatums: readonly string[]
}

/**
 * Applies an accepted tx to the UTxO tables as the Emulator does: its inputs are marked spent (where
 * they are, ledger or mempool), its outputs enter the mempool, its witness datums the datum table.
 *
 * @example
 * const changes = applyUtxoChanges({ ledger, mempool, datumTable }, ctx)
 */
export function applyUtxoChanges(tables: UtxoTables, ctx: RuleContext): UtxoChanges {
  for (const u of ctx.inputs) {
    const ref = u.txHash + u.outputIndex
    const entry = tables.ledger[ref] ?? tables.mempool[ref]
    if (entry) entry.spent = true
  }
  const outputs = ctx.body.outputs()
  const created: string[] = []
  for (let i = 0; i < outputs.len(); i++) {
    const input = CML.TransactionInput.new(CML.TransactionHash.from_hex(ctx.txHash), BigInt(i))
    tables.mempool[ctx.txHash + i] = { utxo: coreToUtxo(CML.TransactionUnspentOutput.new(input, outputs.get(i))), spent: false }
    created.push(ctx.txHash + i)
  }
  const addedDatums: string[] = []
  const datums = ctx.tx.witness_set().plutus_datums()
  for (let i = 0; i < (datums?.len() ?? 0); i++) {
    const datum = datums!.get(i)
    const hash = CML.hash_plutus_data(datum).to_hex()
    if (tables.datumTable[hash] === undefined) addedDatums.push(hash)
    tables.datumTable[hash] = datum.to_cbor_hex()
  }
  return { spent: ctx.inputs, created, addedDatums }
}

/**
 * Undoes `applyUtxoChanges`: the created outputs disappear (from ledger or mempool), the spent ones
 * come back unspent, the added datums leave the table.
 *
 * @example
 * undoUtxoChanges(tables, record)
 */
export function undoUtxoChanges(tables: UtxoTables, changes: UtxoChanges): void {
  for (const ref of changes.created) {
    delete tables.ledger[ref]
    delete tables.mempool[ref]
  }
  for (const utxo of changes.spent) {
    const ref = utxo.txHash + utxo.outputIndex
    const entry = tables.ledger[ref] ?? tables.mempool[ref]
    if (entry) entry.spent = false
    else tables.ledger[ref] = { utxo, spent: false }
  }
  for (const h of changes.addedDatums) delete tables.datumTable[h]
}
