import type { LagoonClient } from '../../../sdk/src/client/index.js'
import type { LoadAccount } from './LoadAccount.js'

/** Options of {@link runLoad}. */
export interface LoadOptions {
  readonly client: LagoonClient
  readonly accounts: readonly LoadAccount[]
  /** Target transfers per second. */
  readonly rate: number
  /** Seconds of load. */
  readonly durationS: number
  /** Parallel request pipelines (each owns a share of the senders, so nonces stay in order); default 4. */
  readonly lanes?: number
  /** At most this many transfers per `POST /txs`; default 512. */
  readonly maxBatch?: number
  /** One line per second, and the summary. */
  readonly log: (line: string) => void
}

/** One second of the run (also the shape of the summary). */
export interface LoadSecond {
  readonly second: number
  readonly sent: number
  readonly ok: number
  readonly rejected: number
  /** Receipts per second in that second. */
  readonly tps: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Transfers generated but not yet answered. */
  readonly backlog: number
}

/** What {@link runLoad} returns. */
export interface LoadResult {
  readonly seconds: readonly LoadSecond[]
  readonly sent: number
  readonly ok: number
  readonly rejected: number
  readonly tps: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Refusal codes and their counts. */
  readonly errors: Readonly<Record<string, number>>
}

interface Pending {
  readonly from: LoadAccount
  readonly to: LoadAccount
  readonly amount: bigint
  /** When the schedule wanted it sent (latency is measured from here: an open loop). */
  readonly due: number
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Drives signed layer-2 transfers between `accounts` at `rate` per second for `durationS` seconds (open
 * loop: a transfer's latency runs from its scheduled time to its receipt, so a node that falls behind
 * shows it). Each lane is one request in flight at a time, carrying every transfer due for its senders
 * (`POST /txs`), so each sender's nonces arrive in order; after a refusal the sender's nonce is re-read.
 * Prints tx/s and p50/p99 latency once a second.
 *
 * @example
 * const r = await runLoad({ client, accounts, rate: 500, durationS: 30, log: console.log })
 * r.tps // achieved receipts per second
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const lanes = Math.max(1, Math.min(o.lanes ?? 4, o.accounts.length))
  const maxBatch = o.maxBatch ?? 512
  const queues: Pending[][] = Array.from({ length: lanes }, () => [])
  const laneOf = new Map(o.accounts.map((a, i) => [a, i % lanes]))
  const errors: Record<string, number> = {}
  const all: number[] = []
  let window: number[] = []
  let sent = 0
  let rejected = 0
  let winSent = 0
  let winRejected = 0
  let generated = 0
  let answered = 0
  const seconds: LoadSecond[] = []
  const start = Date.now()
  const end = start + o.durationS * 1000
  let producing = true

  const pickOther = (a: LoadAccount) => {
    const i = o.accounts.indexOf(a)
    return o.accounts[(i + 1 + Math.floor(Math.random() * (o.accounts.length - 1))) % o.accounts.length]!
  }

  // The schedule: every 5 ms, the transfers due by now.
  const producer = (async () => {
    while (producing) {
      const now = Date.now()
      if (now >= end) break
      const due = Math.floor(((now - start) / 1000) * o.rate)
      for (; generated < due; generated++) {
        const from = o.accounts[Math.floor(Math.random() * o.accounts.length)]!
        queues[laneOf.get(from)!]!.push({ from, to: pickOther(from), amount: BigInt(1 + Math.floor(Math.random() * 1000)), due: start + (generated / o.rate) * 1000 })
      }
      await sleep(5)
    }
    producing = false
  })()

  const lane = async (q: Pending[]) => {
    while (producing || q.length > 0) {
      if (q.length === 0) {
        await sleep(2)
        continue
      }
      const batch = q.splice(0, maxBatch)
      const txs = []
      for (const p of batch) txs.push(await o.client.signTx({ signer: p.from.signer, nonce: p.from.nonce++, actions: [{ type: 'transfer', to: p.to.signer.account, amount: p.amount }] }))
      sent += batch.length
      winSent += batch.length
      let results: Awaited<ReturnType<LagoonClient['submitTxs']>>
      try {
        results = await o.client.submitTxs({ txs })
      } catch (e) {
        const code = (e as { code?: string }).code ?? 'REQUEST_FAILED'
        errors[code] = (errors[code] ?? 0) + batch.length
        rejected += batch.length
        winRejected += batch.length
        answered += batch.length
        await resync(new Set(batch.map((p) => p.from)))
        continue
      }
      const at = Date.now()
      const refused = new Set<LoadAccount>()
      results.forEach((r, i) => {
        if (r.ok) {
          const ms = Math.round(at - batch[i]!.due)
          window.push(ms)
          all.push(ms)
        } else {
          errors[r.error.code] = (errors[r.error.code] ?? 0) + 1
          rejected++
          winRejected++
          refused.add(batch[i]!.from)
        }
      })
      answered += batch.length
      if (refused.size > 0) await resync(refused)
    }
  }
  const resync = async (who: Set<LoadAccount>) => {
    await Promise.all([...who].map(async (a) => (a.nonce = (await o.client.getAccount({ account: a.account })).nonce)))
  }

  const reporter = setInterval(() => {
    const sorted = window.sort((a, b) => a - b)
    const s: LoadSecond = {
      second: seconds.length + 1,
      sent: winSent,
      ok: sorted.length,
      rejected: winRejected,
      tps: sorted.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      backlog: generated - answered,
    }
    seconds.push(s)
    o.log(`${String(s.second).padStart(4)} s   ${String(s.tps).padStart(6)} tx/s   p50 ${String(s.p50Ms).padStart(5)} ms   p99 ${String(s.p99Ms).padStart(5)} ms   rejected ${s.rejected}   backlog ${s.backlog}`)
    window = []
    winSent = 0
    winRejected = 0
  }, 1000)
  try {
    await Promise.all([producer, ...queues.map(lane)])
  } finally {
    clearInterval(reporter)
  }
  const elapsed = (Date.now() - start) / 1000
  const sorted = all.sort((a, b) => a - b)
  return { seconds, sent, ok: sorted.length, rejected, tps: Math.round(sorted.length / elapsed), p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), errors }
}
