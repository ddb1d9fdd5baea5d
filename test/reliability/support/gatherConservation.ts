import { checkConservation, type ConservationFigures, type ConservationResult } from '../../../sdk/src/conservation/checkConservation.js'
import type { L1Chain } from '../../../sequencer/src/l1/L1Chain.js'
import { outRefKey } from '../../../sequencer/src/l1/L1Settings.js'
import type { LagoonScripts } from '../../../sequencer/src/l1/sdkL1.js'
import { anchorRedeemerOf } from '../../../sequencer/src/l1/txRedeemer.js'
import type { LagoonNode } from '../../../sequencer/src/node/openNode.js'
import { replayNodeLog } from './replayNodeLog.js'

/**
 * Reads the conservation figures of a node and its chain at one moment: the anchor's lovelace and the
 * deposit address from the chain's confirmed view; the credited deposits, every balance and every
 * pending exit from a replay of the node's task log (what an auditor computes; the tests compare the
 * node's own root with that replay separately); and the
 * exits that Withdraw txs on the chain paid but the log does not record yet (walking back from the
 * current anchor output to the last one the follower processed).
 *
 * @example
 * const figures = await gatherConservation(node, chain, scripts)
 * expect(checkConservation(figures).ok).toBe(true)
 */
export async function gatherConservation(node: LagoonNode, chain: L1Chain, scripts: LagoonScripts): Promise<ConservationFigures> {
  await node.sequencer.idle()
  const anchors = (await chain.utxosAt(scripts.anchorAddress)).filter((u) => (u.assets[scripts.unit] ?? 0n) === 1n)
  if (anchors.length !== 1) throw new Error(`expected one anchor output, found ${anchors.length}`)
  const anchor = anchors[0]!
  const atDepositAddress = new Map((await chain.utxosAt(scripts.depositAddress)).map((u) => [outRefKey(u), u.assets.lovelace ?? 0n]))
  // Layer 2's side from the log itself (what any auditor computes), not from the node's tables.
  const replay = replayNodeLog(node)
  const unabsorbed = [...replay.credited].filter(([ref]) => atDepositAddress.has(ref)).map(([, amount]) => amount)
  let exitsPaidUnrecorded = 0n
  let at: { txHash: string; outputIndex: number } = anchor
  const processed = (ref: string) => node.db.prepare('SELECT 1 FROM l1_anchors WHERE out_ref = ?').pluck().get(ref) !== undefined
  while (!processed(outRefKey(at))) {
    const tx = await chain.getTx(at.txHash)
    if (!tx) break
    const anchorIn = tx.inputs.find((i) => (i.assets[scripts.unit] ?? 0n) === 1n)
    if (!anchorIn) break
    const r = anchorRedeemerOf(tx.cbor, anchorIn)
    if (r.type === 'withdraw') for (const e of r.exits) exitsPaidUnrecorded += e.leaf.pendingExit
    at = anchorIn
  }
  return {
    anchorLovelace: anchor.assets.lovelace ?? 0n,
    unabsorbedDeposits: unabsorbed,
    balances: replay.accounts.map((a) => a.balance),
    pendingExits: replay.accounts.map((a) => a.pendingExit),
    exitsPaidUnrecorded,
  }
}

/**
 * Gathers and checks; returns the result (its `summary` says both sides).
 *
 * @example
 * const r = await conservationOf(node, chain, scripts); expect(r.ok, r.summary).toBe(true)
 */
export async function conservationOf(node: LagoonNode, chain: L1Chain, scripts: LagoonScripts): Promise<ConservationResult> {
  return checkConservation(await gatherConservation(node, chain, scripts))
}
