import { toHex, type AccountState } from '../core.js'

/** An account as the read API serves it (`GET /accounts/:id`): hex ids and keys, lovelace as strings. */
export interface AccountJson {
  readonly id: string
  readonly index: number
  readonly l2Key?: string
  readonly keyEpoch: number
  readonly balance: string
  readonly pendingExit: string
  readonly nonce: number
  readonly recordCount: number
}

/**
 * The JSON of an account, the same from a sequencer and from a relay.
 *
 * @example
 * return c.json(accountJson(state.getAccount(id)!))
 */
export function accountJson(a: AccountState): AccountJson {
  return {
    id: toHex(a.id),
    index: a.index,
    ...(a.l2Key ? { l2Key: toHex(a.l2Key) } : {}),
    keyEpoch: a.keyEpoch,
    balance: a.balance.toString(),
    pendingExit: a.pendingExit.toString(),
    nonce: a.nonce,
    recordCount: a.recordCount,
  }
}
