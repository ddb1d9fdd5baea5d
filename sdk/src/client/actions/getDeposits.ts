import type { UTxO } from '@lucid-evolution/lucid'
import { depositDatumFromData, type OutRef } from '../../l1/data.js'
import { chainNow, l1Context, walletAccount, type L1Options } from '../l1/l1Context.js'
import type { BaseClient } from '../transport.js'

/** Parameters of {@link getDeposits}. */
export interface GetDepositsParams extends L1Options {
  /** Only this owner's deposits (hex account); default the wallet's own; `'all'` for everyone's. */
  readonly owner?: string | 'all'
}

/** A deposit still at the deposit address (not absorbed by a commitment, not refunded). */
export interface PendingDeposit {
  readonly outRef: OutRef
  readonly owner: string
  readonly amount: bigint
  /** POSIX ms after which its owner may take it back. */
  readonly refundAfter: bigint
  /** Whether the refund time has passed (by the chain's clock). */
  readonly refundable: boolean
  readonly utxo: UTxO
}

/**
 * The deposits waiting at the deposit address, read from layer 1: not yet absorbed by a commitment.
 * Outputs with a malformed datum are skipped (they belong to nobody).
 *
 * @example
 * const mine = await client.getDeposits({ lucid })
 * mine.filter((d) => d.refundable)
 */
export async function getDeposits(client: BaseClient, params: GetDepositsParams): Promise<PendingDeposit[]> {
  const { scripts } = await l1Context(client, params)
  const owner = params.owner === 'all' ? undefined : (params.owner?.toLowerCase() ?? (await walletAccount(params.lucid)))
  const now = BigInt(chainNow(params.lucid))
  const out: PendingDeposit[] = []
  for (const u of await params.lucid.utxosAt(scripts.depositAddress)) {
    let d
    try {
      d = depositDatumFromData(u.datum!)
    } catch {
      continue
    }
    if (owner !== undefined && d.owner !== owner) continue
    out.push({ outRef: { txHash: u.txHash, outputIndex: u.outputIndex }, owner: d.owner, amount: u.assets.lovelace ?? 0n, refundAfter: d.refundAfter, refundable: d.refundAfter < now, utxo: u })
  }
  return out
}
