import { CliError } from '../CliError.js'
import type { CommandContext } from '../Command.js'
import { opt } from './commonOptions.js'

/**
 * A layer-1 tx's confirmations through the Blockfrost-compatible API of `--l1` (0 while unknown: in
 * the mempool, or not yet indexed).
 *
 * @example
 * await l1Confirmations(ctx, txHash) // 3
 */
export async function l1Confirmations(ctx: Pick<CommandContext, 'values' | 'env'>, txHash: string): Promise<number> {
  const url = (opt(ctx, 'l1', 'LAGOON_L1_URL') ?? '').replace(/\/+$/, '')
  const projectId = opt(ctx, 'l1-project-id', 'LAGOON_L1_PROJECT_ID')
  const headers = projectId ? { project_id: projectId } : undefined
  try {
    const tx = await fetch(`${url}/txs/${txHash}`, headers ? { headers } : {})
    if (!tx.ok) return 0
    const { block_height } = (await tx.json()) as { block_height: number }
    const tip = (await (await fetch(`${url}/blocks/latest`, headers ? { headers } : {})).json()) as { height: number }
    return Math.max(0, tip.height - block_height + 1)
  } catch {
    return 0
  }
}

/**
 * Waits (polling every `everyMs`) until `check()` is true, reporting progress; false on timeout or abort.
 *
 * @example
 * await pollUntil(() => isFrozen(), { timeoutMs: 600_000, everyMs: 1000, signal, onPoll })
 */
export async function pollUntil(check: () => Promise<boolean>, o: { timeoutMs: number; everyMs: number; signal: AbortSignal; onPoll?: () => Promise<void> | void }): Promise<boolean> {
  const until = Date.now() + o.timeoutMs
  for (;;) {
    if (await check()) return true
    await o.onPoll?.()
    if (Date.now() >= until || o.signal.aborted) return false
    await new Promise((r) => setTimeout(r, o.everyMs))
  }
}

/**
 * Waits until a layer-1 tx is in a block (one confirmation), showing progress; `L1_NOT_CONFIRMED` with
 * a hint after `timeoutMs` (the tx may still land: nothing is lost).
 *
 * @example
 * await awaitL1Block(ctx, txHash, 600_000)
 */
export async function awaitL1Block(ctx: Pick<CommandContext, 'values' | 'env' | 'out' | 'signal'>, txHash: string, timeoutMs: number): Promise<void> {
  const started = Date.now()
  const ok = await pollUntil(async () => (await l1Confirmations(ctx, txHash)) >= 1, {
    timeoutMs,
    everyMs: 1000,
    signal: ctx.signal,
    onPoll: () => ctx.out.progress(`waiting for ${txHash.slice(0, 12)}… in a layer-1 block`, Math.round((Date.now() - started) / 1000), undefined, 's'),
  })
  ctx.out.progressDone()
  if (!ok) throw new CliError('L1_NOT_CONFIRMED', `${txHash} is not in a layer-1 block after ${Math.round(timeoutMs / 1000)} s`, 'it may still land: check the tx on a layer-1 explorer before retrying')
}
