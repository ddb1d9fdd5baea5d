import { depositDatumFromData } from '../../l1/data.js'
import type { AuditDivergence } from '../types.js'
import { decodeL1Tx, type DecodedL1Tx } from './decodeL1Tx.js'
import type { L1Events } from './l1EventCollector.js'
import type { CreditAt } from './l1EventMatcher.js'
import type { L1Reader } from './L1Reader.js'
import type { AnchorStep, InstanceAddresses } from './readAnchorHistory.js'
import { readWithdrawPayouts } from './verifyExitPayout.js'
import { withdrawPaysExit, type WithdrawPayouts } from './withdrawPaysExit.js'

/**
 * Parameters of {@link checkLogEventsOnL1}.
 *
 * @example
 * checkLogEventsOnL1({ l1, instance: scripts, steps, credits: matcher.tail(), exits: collector.events.exits })
 */
export interface CheckLogEventsOnL1Params {
  readonly l1: L1Reader
  readonly instance: InstanceAddresses
  /** The anchor history already read (its Withdraw steps answer for the exits they paid without a read). */
  readonly steps: readonly AnchorStep[]
  /** Credits whose outputs must have existed on layer 1 (the open tail: `l1EventMatcher(…).tail()`). */
  readonly credits: readonly CreditAt[]
  /** Every exit the log records as paid, by the layer-1 tx it names (`L1Events.exits`). */
  readonly exits: L1Events['exits']
}

/**
 * What {@link checkLogEventsOnL1} found: the counts, and the first divergence in log order.
 *
 * @example
 * const r: LogEventsCheck = await checkLogEventsOnL1(p); if (!r.ok) console.error(r.divergence.message)
 */
export type LogEventsCheck = {
  /** Credits whose output was found on layer 1 as credited. */
  readonly creditsChecked: number
  /** `exitPaid` tasks matched with a Withdraw on layer 1. */
  readonly exitsPaidChecked: number
} & ({ readonly ok: true } | { readonly ok: false; readonly divergence: AuditDivergence })

/**
 * Checks the log's layer-1 claims on layer 1 itself:
 *
 * - each credit in `credits`: the tx it names exists on layer 1 and created that output at the
 *   instance's deposit address, with a deposit datum naming that owner, holding that many lovelace and
 *   nothing else (`DEPOSIT_NOT_ON_L1`). The output may be spent since (it existed);
 * - each `exitPaid`: the tx it names is a Withdraw of the anchor (it spends the output holding the state
 *   token with the Withdraw redeemer) whose redeemer pays the account an exit of at least that amount
 *   and whose outputs pay the account's key hash at least that amount; one `exitPaid` per exit
 *   (`EXIT_NOT_ON_L1`). A Withdraw in `steps` is not read again.
 *
 * Throws `L1ReadError` when layer 1 cannot be read (not a divergence).
 *
 * @example
 * const m = l1EventMatcher(events)
 * for (const s of steps) if (s.kind === 'commit') m.commit(s); else m.withdraw(s)
 * const r = await checkLogEventsOnL1({ l1, instance, steps, credits: m.tail(), exits: events.exits })
 */
export async function checkLogEventsOnL1(p: CheckLogEventsOnL1Params): Promise<LogEventsCheck> {
  let creditsChecked = 0
  let exitsPaidChecked = 0
  const found: AuditDivergence[] = []

  const txs = new Map<string, Promise<DecodedL1Tx | undefined>>()
  const txOf = (h: string) => {
    let t = txs.get(h)
    if (!t) txs.set(h, (t = p.l1.getTx(h).then((r) => (r ? decodeL1Tx(r.cbor, p.instance.unit) : undefined))))
    return t
  }
  for (const c of [...p.credits].sort((a, b) => a.seq - b.seq)) {
    const [txHash, index] = c.outRef.split('#') as [string, string]
    const problem = creditProblem(await txOf(txHash), Number(index), c, p.instance.depositAddress)
    if (problem) {
      found.push({
        kind: 'DEPOSIT_NOT_ON_L1',
        seq: c.seq,
        outRef: c.outRef,
        expected: `an ADA-only output of ${c.amount} lovelace at the deposit address with a datum naming ${c.owner}`,
        found: problem,
        message: `the log credits deposit ${c.outRef} (${c.amount} lovelace to ${c.owner}) at seq ${c.seq}, but ${problem}`,
      })
      break
    }
    creditsChecked++
  }

  const inHistory = new Map(p.steps.filter((s) => s.kind === 'withdraw').map((s) => [s.txHash, s]))
  const withdraws = new Map<string, WithdrawPayouts | string>()
  const used = new Map<string, Set<number>>()
  const recorded = [...p.exits].flatMap(([txHash, list]) => list.map((e) => ({ txHash, ...e }))).sort((a, b) => a.seq - b.seq)
  for (const e of recorded) {
    let w = withdraws.get(e.txHash)
    if (w === undefined) {
      const s = inHistory.get(e.txHash)
      w = s ? { exits: s.exits ?? [], payouts: s.payouts ?? [] } : await readWithdrawPayouts(p.l1, p.instance, e.txHash)
      withdraws.set(e.txHash, w)
    }
    const u = used.get(e.txHash) ?? new Set<number>()
    used.set(e.txHash, u)
    const problem = typeof w === 'string' ? w : withdrawPaysExit(w, e.account, e.amount, u)
    if (problem) {
      found.push({
        kind: 'EXIT_NOT_ON_L1',
        seq: e.seq,
        account: e.account,
        l1Tx: e.txHash,
        expected: `a Withdraw of the anchor paying ${e.amount} lovelace to ${e.account}`,
        found: problem,
        message: `the log records an exit of ${e.amount} lovelace to ${e.account} as paid by layer-1 tx ${e.txHash} at seq ${e.seq}, but ${problem}`,
      })
      break
    }
    exitsPaidChecked++
  }
  const first = found.sort((a, b) => a.seq - b.seq)[0]
  return first ? { ok: false, divergence: first, creditsChecked, exitsPaidChecked } : { ok: true, creditsChecked, exitsPaidChecked }
}

function creditProblem(tx: DecodedL1Tx | undefined, index: number, c: CreditAt, depositAddress: string): string | undefined {
  const [txHash] = c.outRef.split('#')
  if (!tx) return `layer 1 does not know tx ${txHash}`
  const o = tx.outputs[index]
  if (!o) return `tx ${txHash} has no output ${index}`
  if (o.address !== depositAddress) return `output ${c.outRef} is not at the instance's deposit address (it is at ${o.address})`
  let owner: string
  try {
    owner = depositDatumFromData(o.datum ?? '').owner.toLowerCase()
  } catch {
    return `output ${c.outRef} has no well-formed deposit datum`
  }
  if (owner !== c.owner.toLowerCase()) return `output ${c.outRef}'s datum names owner ${owner}`
  if (o.lovelace !== c.amount) return `output ${c.outRef} holds ${o.lovelace} lovelace`
  if (!o.adaOnly) return `output ${c.outRef} holds other assets besides ADA`
  return undefined
}
