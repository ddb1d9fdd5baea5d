import { h } from '../ui/dom.js'
import { ada } from '../ui/format.js'
import type { WithdrawalView } from './trackWithdrawals.js'

/**
 * The rows of the wallet's withdrawals table: amount, requested seq, status (`recorded, not seen on
 * layer 1` for a payout the node records and the page has not seen on layer 1; the reason on hover),
 * batch and payout tx.
 *
 * @example
 * fill(withdrawalsBody, withdrawalRows(list))
 */
export function withdrawalRows(list: readonly WithdrawalView[]): HTMLTableRowElement[] {
  return list.map((w) =>
    h(
      'tr',
      { 'data-status': w.status },
      h('td', {}, ada(w.amount)),
      h('td', {}, String(w.requestedSeq)),
      h('td', {}, h('span', { class: `tag ${w.status}`, ...(w.note ? { title: w.note } : {}) }, w.status === 'recorded' ? 'recorded, not seen on layer 1' : w.status)),
      h('td', {}, w.batch === undefined ? '—' : `#${w.batch}`),
      h('td', { class: 'mono' }, w.paidTx ? w.paidTx : '—'),
    ),
  )
}
