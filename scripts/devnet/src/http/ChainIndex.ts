import { datumToHash, validatorToScriptHash, type Script, type UTxO } from '@lucid-evolution/lucid'
import type { BlockRecord, StrictEmulator, TxRecord } from '../StrictEmulator.js'

/** Where a confirmed tx sits: its record, block and position in the block. */
export interface IndexedTx {
  readonly record: TxRecord
  readonly block: BlockRecord
  /** Position of the tx in its block. */
  readonly index: number
}

/**
 * The genesis pseudo-transaction's hash (the devnet's genesis outputs spend nothing).
 *
 * @example
 * index.outputsOf(GENESIS_TX_HASH) // the funded accounts
 */
export const GENESIS_TX_HASH = '00'.repeat(32)

/**
 * `txHash#index` (Blockfrost's and our key; the Emulator's own ledger keys have no `#`).
 *
 * @example
 * refKey('ab…', 0) // 'ab…#0'
 */
export const refKey = (txHash: string, outputIndex: number): string => `${txHash}#${outputIndex}`

/**
 * What a Blockfrost-style API needs to answer from the strict devnet's *confirmed* chain: every
 * confirmed tx by hash (with its block), every output ever created (spent ones too, for
 * `/txs/{hash}/utxos`), which tx consumed an output, reference scripts and datums by hash. Built
 * incrementally from the devnet's block records; a rollback (the block at the indexed height changed)
 * rebuilds it from genesis.
 *
 * @example
 * const index = new ChainIndex(devnet)
 * index.sync()
 * index.tx(txHash)?.block.height
 */
export class ChainIndex {
  private height = -1
  private hashAtHeight = ''
  private ledgerSize = -1
  private readonly txs = new Map<string, IndexedTx>()
  private readonly outputs = new Map<string, UTxO>()
  private readonly consumed = new Map<string, string>()
  private readonly scripts = new Map<string, Script>()
  private readonly datums = new Map<string, string>()
  /** Output index → position on the chain (block height, tx position) for Blockfrost's ordering. */
  private readonly positions = new Map<string, { height: number; index: number }>()

  constructor(private readonly devnet: StrictEmulator) {}

  /**
   * Catches up with the devnet (cheap when nothing changed).
   *
   * @example
   * index.sync()
   */
  sync(): void {
    const tip = this.devnet.getTip()
    if (this.height >= 0 && (tip.height < this.height || this.devnet.getBlock(this.height)?.hash !== this.hashAtHeight)) this.reset()
    const ledgerSize = Object.keys(this.devnet.ledger).length
    if (tip.height === this.height && ledgerSize === this.ledgerSize) return
    for (let h = this.height + 1; h <= tip.height; h++) {
      const block = this.devnet.getBlock(h)!
      block.txs.forEach((record, index) => {
        this.txs.set(record.txHash, { record, block, index })
        for (const u of record.spent) {
          this.consumed.set(refKey(u.txHash, u.outputIndex), record.txHash)
          this.addOutput(u)
        }
      })
    }
    // Unspent outputs live in the ledger; spent ones were recorded above from their spenders.
    for (const { utxo } of Object.values(this.devnet.ledger)) this.addOutput(utxo)
    this.height = tip.height
    this.hashAtHeight = tip.hash
    this.ledgerSize = ledgerSize
  }

  /** A confirmed tx, or undefined (unknown, in the mempool, or rolled back). */
  tx(txHash: string): IndexedTx | undefined {
    return this.txs.get(txHash)
  }

  /** Any output the confirmed chain created (spent or not). */
  output(txHash: string, outputIndex: number): UTxO | undefined {
    return this.outputs.get(refKey(txHash, outputIndex))
  }

  /** The outputs of a confirmed tx (or of genesis), in index order. */
  outputsOf(txHash: string): UTxO[] {
    const out: UTxO[] = []
    for (let i = 0; ; i++) {
      const u = this.outputs.get(refKey(txHash, i))
      if (!u) break
      out.push(u)
    }
    return out
  }

  /** The confirmed tx that spent an output, if any. */
  consumedBy(txHash: string, outputIndex: number): string | undefined {
    return this.consumed.get(refKey(txHash, outputIndex))
  }

  /** Height and position in the block of the tx that created an output (genesis: 0, 0). */
  position(txHash: string): { height: number; index: number } {
    return this.positions.get(txHash) ?? { height: 0, index: 0 }
  }

  /** A script seen as a reference script on the chain. */
  script(hash: string): Script | undefined {
    return this.scripts.get(hash)
  }

  /** A datum by hash: inline datums of outputs and the witness datums the devnet recorded. */
  datum(hash: string): string | undefined {
    return this.datums.get(hash) ?? this.devnet.datumTable[hash]
  }

  /**
   * The confirmed unspent outputs, in chain order (Blockfrost's `order=asc`). Outputs spent by a tx
   * still in the mempool are listed, as Blockfrost lists them until the spender is in a block.
   */
  unspent(): UTxO[] {
    const all = Object.values(this.devnet.ledger).map((e) => e.utxo)
    const at = (u: UTxO) => this.position(u.txHash)
    return all.sort((a, b) => at(a).height - at(b).height || at(a).index - at(b).index || (a.txHash < b.txHash ? -1 : a.txHash > b.txHash ? 1 : 0) || a.outputIndex - b.outputIndex)
  }

  private addOutput(u: UTxO): void {
    const key = refKey(u.txHash, u.outputIndex)
    if (this.outputs.has(key)) return
    this.outputs.set(key, u)
    const at = this.txs.get(u.txHash)
    if (at) this.positions.set(u.txHash, { height: at.block.height, index: at.index })
    if (u.scriptRef) {
      try {
        this.scripts.set(validatorToScriptHash(u.scriptRef), u.scriptRef)
      } catch {
        // a script CML cannot hash is not servable by hash; the output itself is still listed
      }
    }
    if (u.datum) this.datums.set(datumToHash(u.datum), u.datum)
  }

  private reset(): void {
    this.height = -1
    this.hashAtHeight = ''
    this.ledgerSize = -1
    for (const m of [this.txs, this.outputs, this.consumed, this.scripts, this.datums, this.positions]) m.clear()
  }
}
