import { toHex } from '../../../sdk/src/index.js'
import type { App } from '../App.js'
import type { LogItem } from '../stream/LogTail.js'
import { l1Confirmations } from './l1Actions.js'

/** The deposit to watch: its layer-1 tx and output, the account it credits, and k. */
export interface WatchedDeposit {
  readonly txHash: string
  /** `txHash#index` */
  readonly outRef: string
  /** The account to credit, hex. */
  readonly owner: string
  /** Confirmations the node waits for before crediting. */
  readonly confirmations: number
}

const TIMEOUT_MS = 10 * 60_000

/**
 * Resolves with the seq of the deposit's credit once the task log holds it (a `deposit` task for that
 * layer-1 tx and owner), reporting meanwhile the confirmations counted on layer 1 (`n/k, m more blocks
 * to go`) and what the node's stream says (`seen`). Rejects with `DEPOSIT_REFUNDED` or, after ten
 * minutes, `DEPOSIT_TIMEOUT`.
 *
 * @example
 * const { seq } = await watchDepositCredit(app, { txHash, outRef, owner, confirmations: 5 }, (t) => (status.textContent = t))
 */
export function watchDepositCredit(app: App, d: WatchedDeposit, progress: (text: string) => void): Promise<{ seq: number }> {
  const k = d.confirmations
  return new Promise((resolve, reject) => {
    let seen = false
    let done = false
    const started = Date.now()
    const stop = () => {
      done = true
      clearInterval(timer)
      offTail()
      offStream()
    }
    const check = (items: readonly LogItem[]) => {
      for (const it of items) {
        if (it.task?.kind === 'deposit' && toHex(it.task.txHash) === d.txHash && toHex(it.task.owner) === d.owner) {
          stop()
          return resolve({ seq: it.seq })
        }
      }
    }
    const offTail = app.tail.onEntries(check)
    const offStream = app.stream.on('deposit', (e) => {
      if (e.outRef !== d.outRef) return
      if (e.status === 'seen') seen = true
      if (e.status === 'credited') app.tail.poke()
      if (e.status === 'refunded') {
        stop()
        reject(Object.assign(new Error('the deposit was refunded instead of credited'), { code: 'DEPOSIT_REFUNDED' }))
      }
    })
    const timer = setInterval(async () => {
      if (Date.now() - started > TIMEOUT_MS) {
        stop()
        return reject(Object.assign(new Error('no credit after 10 minutes: is the node following layer 1?'), { code: 'DEPOSIT_TIMEOUT' }))
      }
      const n = await l1Confirmations(app.setup, d.txHash)
      // The credit may have landed while the chain was asked: never report progress after it.
      if (done) return
      if (n === undefined) progress(seen ? `seen by the node, waiting for ${k} confirmations` : 'waiting for the deposit to be in a block')
      else if (n >= k) progress(`${k}/${k} confirmations: the sequencer credits it next`)
      else progress(`${n}/${k} confirmations, ${k - n} more block${k - n === 1 ? '' : 's'} to go`)
    }, 700)
    check(app.tail.items)
  })
}
