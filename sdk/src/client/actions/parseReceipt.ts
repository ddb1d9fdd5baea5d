import { NetworkError } from '../errors.js'
import type { Receipt } from '../types.js'

/** Checks the shape of a receipt in a response. */
export function parseReceipt(r: unknown, request: string): Receipt {
  const x = r as Partial<Receipt> | undefined
  if (!x || typeof x.txId !== 'string' || !Number.isSafeInteger(x.seq) || typeof x.logHead !== 'string') {
    throw new NetworkError('BAD_RESPONSE', `${request}: the response is not a receipt`, { request })
  }
  return { txId: x.txId, seq: x.seq!, logHead: x.logHead }
}
