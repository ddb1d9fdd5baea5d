import type { SignedTx } from '../../core/tx/types.js'
import type { BaseClient } from '../transport.js'
import type { Receipt, RequestOptions } from '../types.js'
import { parseReceipt } from './parseReceipt.js'

/** Parameters of {@link submitTx}. */
export interface SubmitTxParams extends RequestOptions {
  /** A signed transaction (from `buildSignedTx`) or its canonical CBOR bytes. */
  readonly tx: SignedTx | Uint8Array
}

/**
 * Submits one signed transaction; resolves once the node has applied it and made it durable.
 * Submitting the same bytes again is safe (the node answers with the original receipt). Refusals are
 * `ApiError`s with the core's codes: `BAD_NONCE` (409), `INSUFFICIENT_BALANCE` (422), `BAD_SIGNATURE` (400), …
 *
 * @example
 * const tx = buildSignedTx(body, secretKey, blake2b256Reference)
 * const receipt = await client.submitTx({ tx })
 */
export async function submitTx(client: BaseClient, params: SubmitTxParams): Promise<Receipt> {
  const bytes = params.tx instanceof Uint8Array ? params.tx : params.tx.bytes
  const r = await client.request({ method: 'POST', path: '/tx', body: bytes, ...(params.signal ? { signal: params.signal } : {}) })
  return parseReceipt(r, 'POST /tx')
}
