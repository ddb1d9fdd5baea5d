import { CML, type UTxO } from '@lucid-evolution/lucid'
import { DevnetRuleError } from '../DevnetRuleError.js'

/** What the devnet knows of an output: the Emulator's ledger/mempool entry shape. */
export type UtxoEntry = { utxo: UTxO; spent: boolean }

/**
 * Resolves a list of inputs against the devnet's UTxO set (confirmed ledger first, then the
 * mempool), throwing `MISSING_INPUT` for any that does not exist or is already spent.
 *
 * @example
 * const utxos = resolveInputs(body.inputs(), (ref) => emulator.ledger[ref] ?? emulator.mempool[ref], 'input')
 */
export function resolveInputs(
  list: CML.TransactionInputList | undefined,
  lookup: (flatOutRef: string) => UtxoEntry | undefined,
  role: 'input' | 'reference input' | 'collateral input',
): UTxO[] {
  const out: UTxO[] = []
  for (let i = 0; i < (list?.len() ?? 0); i++) {
    const input = list!.get(i)
    const txHash = input.transaction_id().to_hex()
    const outputIndex = Number(input.index())
    const entry = lookup(txHash + outputIndex)
    if (!entry || entry.spent) {
      throw new DevnetRuleError('MISSING_INPUT', `${role} ${txHash}#${outputIndex} does not exist or is already spent`, {
        details: { role, txHash, outputIndex },
      })
    }
    out.push(entry.utxo)
  }
  return out
}
