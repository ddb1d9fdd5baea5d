import { toHex } from '../../core/bytes.js'
import { decodeTask } from '../../core/task/decodeTask.js'
import type { OutRef } from '../../l1/data.js'
import { ClientError, NetworkError } from '../errors.js'
import type { BaseClient } from '../transport.js'
import type { RequestOptions } from '../types.js'
import { getLogPage } from './getLog.js'
import { getState } from './getState.js'

/** Parameters of {@link waitForDeposit}. */
export interface WaitForDepositParams extends RequestOptions {
  readonly outRef: OutRef
  /** Scan the log from this seq; default the node's tip when the call starts (deposit first, then wait). */
  readonly fromSeq?: number
  /** Default 10 minutes. */
  readonly timeoutMs?: number
  /** Default 1,000 ms. */
  readonly pollIntervalMs?: number
  /** Called on every poll with the time waited (for progress output). */
  readonly onPoll?: (waitedMs: number) => void
}

/** A credited deposit: where its task sits in the log. */
export interface DepositCredit {
  readonly seq: number
  readonly owner: string
  readonly amount: bigint
}

/**
 * Resolves once the node has credited the deposit `outRef` (after k layer-1 confirmations): follows
 * the public task log for the deposit task naming that out-ref. `ClientError('WAIT_TIMEOUT')` after
 * `timeoutMs`.
 *
 * @example
 * const from = (await client.getState()).seq + 1
 * const { outRef } = await client.deposit({ lucid, amount })
 * await client.waitForDeposit({ outRef, fromSeq: from })
 */
export async function waitForDeposit(client: BaseClient, params: WaitForDepositParams): Promise<DepositCredit> {
  const started = Date.now()
  const timeoutMs = params.timeoutMs ?? 600_000
  const interval = params.pollIntervalMs ?? 1000
  const signal = params.signal ? { signal: params.signal } : {}
  let from = params.fromSeq ?? (await getState(client, signal)).seq + 1
  for (;;) {
    for (;;) {
      const page = await getLogPage(client, { from, limit: 1000, ...signal })
      for (const e of page.entries) {
        const t = decodeTask(e.bytes, client.hash, client.limits)
        if (t.kind === 'deposit' && toHex(t.txHash) === params.outRef.txHash && t.index === params.outRef.outputIndex) {
          return { seq: e.seq, owner: toHex(t.owner), amount: t.amount }
        }
      }
      if (page.entries.length === 0) break
      from = page.nextFrom
    }
    params.onPoll?.(Date.now() - started)
    if (Date.now() - started + interval > timeoutMs) {
      throw new ClientError('WAIT_TIMEOUT', `deposit ${params.outRef.txHash}#${params.outRef.outputIndex} not credited within ${timeoutMs} ms (it needs k layer-1 confirmations)`)
    }
    await new Promise((r) => setTimeout(r, interval))
    if (params.signal?.aborted) throw new NetworkError('ABORTED', 'waitForDeposit: aborted', { request: 'GET /log' })
  }
}
