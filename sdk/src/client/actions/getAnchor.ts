import type { AnchorDatum, OutRef } from '../../l1/data.js'
import { chainNow, l1Context, readAnchor, type L1Options } from '../l1/l1Context.js'
import type { BaseClient } from '../transport.js'

/** The anchor as layer 1 holds it. */
export interface AnchorInfo extends AnchorDatum {
  readonly outRef: OutRef
  /** Lovelace locked in the anchor (the reserve included). */
  readonly lovelace: bigint
  /** POSIX ms after which anyone may freeze (last commit + exodus timeout). */
  readonly freezableAfter: number
  /** Whether freezing is possible now, by the chain's clock. */
  readonly freezable: boolean
}

/**
 * The anchor read from layer 1 (never from the node): the last committed root and batch, the mode
 * (`active` or `frozen`), the locked lovelace and when it can be frozen.
 *
 * @example
 * const a = await client.getAnchor({ lucid })
 * if (a.mode === 'frozen') await client.exodusWithdraw({ lucid })
 */
export async function getAnchor(client: BaseClient, params: L1Options): Promise<AnchorInfo> {
  const { scripts } = await l1Context(client, params)
  const { utxo, datum } = await readAnchor(params.lucid, scripts)
  const freezableAfter = Number(datum.lastCommit + datum.exodusTimeout)
  return {
    ...datum,
    outRef: { txHash: utxo.txHash, outputIndex: utxo.outputIndex },
    lovelace: utxo.assets.lovelace ?? 0n,
    freezableAfter,
    freezable: datum.mode === 'active' && chainNow(params.lucid) > freezableAfter,
  }
}
