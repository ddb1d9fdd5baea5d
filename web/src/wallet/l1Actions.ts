import type { LucidEvolution } from '@lucid-evolution/lucid'
import type { Setup } from '../setup/loadSetup.js'

/** Reads the chain's clock (`ChainClockBlockfrost.refresh`) before building a tx that depends on it. */
async function syncClock(lucid: LucidEvolution): Promise<void> {
  const p = lucid.config().provider as { refresh?: () => Promise<number> } | undefined
  if (typeof p?.refresh === 'function') await p.refresh()
}

/** How long a deposit stays unrefundable (layer-1 time): well past the node's absorption margin. */
const REFUND_AFTER_MS = 7 * 24 * 3600_000

/**
 * Locks `amount` lovelace at the instance's deposit address for the session's account, with the SDK
 * client's `deposit` (signed by the session's Lucid wallet).
 *
 * @example
 * const { txHash, outRef } = await depositOnL1(setup, lucid, account, 25_000_000n)
 */
export async function depositOnL1(setup: Setup, lucid: LucidEvolution, account: string, amount: bigint): Promise<{ txHash: string; outRef: string }> {
  await syncClock(lucid)
  const r = await setup.client.deposit({ lucid, account, amount, refundAfterMs: REFUND_AFTER_MS })
  return { txHash: r.txHash, outRef: `${r.outRef.txHash}#${r.outRef.outputIndex}` }
}

/**
 * Freezes the anchor (after the exodus timeout) with the SDK client's `freeze`.
 *
 * @example
 * const { txHash, batch } = await freezeOnL1(setup, lucid)
 */
export async function freezeOnL1(setup: Setup, lucid: LucidEvolution): Promise<{ txHash: string; batch: number }> {
  await syncClock(lucid)
  const r = await setup.client.freeze({ lucid })
  return { txHash: r.txHash, batch: r.batch }
}

/**
 * Takes the account's whole balance and pending exit out of the frozen anchor with the SDK client's
 * `exodusWithdraw` (a proof against the last root, checked against the anchor).
 *
 * @example
 * const { txHash, amount } = await exodusWithdrawOnL1(setup, lucid, account)
 */
export async function exodusWithdrawOnL1(setup: Setup, lucid: LucidEvolution, account: string): Promise<{ txHash: string; amount: bigint }> {
  await syncClock(lucid)
  const r = await setup.client.exodusWithdraw({ lucid, account })
  return { txHash: r.txHash, amount: r.amount }
}

/**
 * The wallet's layer-1 balance in lovelace (its UTxOs' ADA).
 *
 * @example
 * const lovelace = await l1Balance(lucid)
 */
export async function l1Balance(lucid: LucidEvolution): Promise<bigint> {
  const utxos = await lucid.wallet().getUtxos()
  return utxos.reduce((a, u) => a + (u.assets.lovelace ?? 0n), 0n)
}

/**
 * How many confirmations a layer-1 tx has, from the Blockfrost API (`/txs/:hash`, `/blocks/latest`);
 * `undefined` when the API cannot say (not yet in a block, or it does not serve those routes).
 *
 * @example
 * const n = await l1Confirmations(setup, txHash)
 */
export async function l1Confirmations(setup: Setup, txHash: string): Promise<number | undefined> {
  try {
    const headers = { project_id: 'devnet' }
    const [tx, tip] = await Promise.all([fetch(`${setup.l1Url}/txs/${txHash}`, { headers }), fetch(`${setup.l1Url}/blocks/latest`, { headers })])
    if (!tx.ok || !tip.ok) return undefined
    const a = (await tx.json()) as { block_height?: number }
    const b = (await tip.json()) as { height?: number }
    if (typeof a.block_height !== 'number' || typeof b.height !== 'number') return undefined
    return b.height - a.block_height + 1
  } catch {
    return undefined
  }
}

/**
 * Resolves once a layer-1 tx is in a block (the next tx must see its outputs: the exodus withdraw
 * spends the anchor the freeze made). `L1_TX_TIMEOUT` after `timeoutMs`.
 *
 * @example
 * await waitForL1Tx(setup, freezeTx)
 */
export async function waitForL1Tx(setup: Setup, txHash: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const n = await l1Confirmations(setup, txHash)
    if (n !== undefined && n >= 1) return
    await new Promise((r) => setTimeout(r, 500))
  }
  throw Object.assign(new Error(`layer-1 tx ${txHash} is not in a block after ${timeoutMs / 1000} s`), { code: 'L1_TX_TIMEOUT' })
}
