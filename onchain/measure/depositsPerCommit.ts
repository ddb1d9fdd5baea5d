/**
 * A commit's cost against the number of deposits it absorbs (docs/onchain.md, "Deposits per commit"),
 * up to the most that fit one tx: linear since each deposit's script is O(1) (it checks output 0 only)
 * and the anchor walks the inputs once. The node's `maxDepositsPerCommit` is set from this table.
 */
import type { UTxO } from '@lucid-evolution/lucid'
import { toHex } from '../../sdk/src/core/bytes.js'
import { buildCommitTx } from '../../sdk/src/l1/index.js'
import { ADA, commit, deposit, log, newInstance, type Env, type Measured } from './lib.js'

/** The counts measured (each a submitted commit), before the search for the most that fit. */
const COUNTS = [1, 10, 50, 100, 150]

/** Whether a commit of these deposits completes (local evaluation within the per-tx budget) and fits 16,384 B; no submit. */
async function fits(e: Env, inst: Awaited<ReturnType<typeof newInstance>>, root: string, deposits: UTxO[]): Promise<{ ok: boolean; why: string }> {
  try {
    const { tx } = buildCommitTx(e.lucid, inst.scripts, { anchor: await inst.anchor(), deposits, root, logHead: root, logSeq: inst.logSeq + 1n, now: e.devnet.now(), refs: inst.refs })
    const signed = await (await tx.complete()).sign.withWallet().complete()
    const size = signed.toCBOR().length / 2
    return size > 16_384 ? { ok: false, why: `size ${size} B > 16,384 B` } : { ok: true, why: '' }
  } catch (err) {
    return { ok: false, why: String(err instanceof Error ? err.message : err).replace(/\s+/g, ' ').slice(0, 160) }
  }
}

/**
 * Measures commits of 1 … 150 deposits and the most one commit absorbs (predicted from them, then built).
 *
 * @example
 * const { rows, max, why } = await depositsPerCommit(env)
 */
export async function depositsPerCommit(e: Env): Promise<{ rows: { count: number; m: Measured }[]; max: number; why: string }> {
  const inst = await newInstance(e)
  const root = toHex(e.hash(new TextEncoder().encode('root')))
  const owner = 'ab'.repeat(28)
  const later = BigInt(e.devnet.now() + 86_400_000)
  const rows: { count: number; m: Measured }[] = []
  for (const count of COUNTS) {
    log(`commit of ${count} deposits…`)
    const { utxos } = await deposit(e, inst.scripts, Array.from({ length: count }, (_, i) => 2n * ADA + BigInt(i)), owner, later)
    rows.push({ count, m: await commit(e, inst, root, utxos) })
  }
  // The most that fit: predicted from the per-deposit cost (linear), then checked by building a commit
  // of that many and of one more (a search would build many: the local evaluator's own work grows with
  // the square of the inputs, each script being handed the whole tx).
  const [a, z] = [rows[1]!, rows.at(-1)!]
  const per = { mem: Number(z.m.mem - a.m.mem) / (z.count - a.count), size: (z.m.size - a.m.size) / (z.count - a.count) }
  const byMem = Math.floor((14_000_000 - Number(z.m.mem)) / per.mem) + z.count
  const bySize = Math.floor((16_384 - z.m.size) / per.size) + z.count
  const predicted = Math.min(byMem, bySize)
  log(`the most deposits one commit absorbs: predicted ${predicted} (by mem ${byMem}, by size ${bySize}); checking ${predicted} and ${predicted + 1}…`)
  const { utxos: pool } = await deposit(e, inst.scripts, Array.from({ length: predicted + 1 }, (_, i) => 2n * ADA + BigInt(i)), owner, later)
  let max = predicted
  let why = ''
  const atMax = await fits(e, inst, root, pool.slice(0, predicted))
  if (!atMax.ok) {
    max = predicted - 1
    why = `${predicted}: ${atMax.why}`
  } else {
    const over = await fits(e, inst, root, pool.slice(0, predicted + 1))
    why = over.ok ? `${predicted + 1} fit too (the prediction is low)` : over.why
    if (over.ok) max = predicted + 1
  }
  return { rows, max, why }
}
