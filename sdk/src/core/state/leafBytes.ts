import { encodePlutusData } from '../plutus/encodePlutusData.js'

/**
 * What a state-tree leaf commits to: one account's state.
 *
 * @example
 * const f: LeafFields = { account: new Uint8Array(28), balance: 5_000_000n, pendingExit: 0n, nonce: 0, recordsRoot: new Uint8Array(32) }
 */
export type LeafFields = {
  /** The layer-1 payment key hash, 28 bytes. */
  account: Uint8Array
  balance: bigint
  pendingExit: bigint
  nonce: bigint | number
  /** {@link recordsRoot} of the account's records, 32 bytes. */
  recordsRoot: Uint8Array
}

const TWO_64 = 1n << 64n

/**
 * The bytes a leaf hashes: `serialiseData` of `Constr 0 [account, balance, pendingExit, nonce, recordsRoot]`,
 * which a validator rebuilds with the `serialise_data` builtin. Throws `RangeError` on a field no
 * account can have: an account other than 28 bytes, a records root other than 32, an integer outside
 * [0, 2^64) — the same bounds the anchor checks (`exit: malformed leaf`), so a leaf's bytes are never
 * the 64 bytes of an inner node's children.
 *
 * @example
 * leafBytes({ account: new Uint8Array(28), balance: 1n, pendingExit: 0n, nonce: 0, recordsRoot: new Uint8Array(32) })
 * // d8 79 9f 58 1c 00…00 01 00 00 58 20 00…00 ff (71 bytes)
 */
export function leafBytes(fields: LeafFields): Uint8Array {
  const { account, balance, pendingExit, recordsRoot } = fields
  const nonce = BigInt(fields.nonce)
  if (account.length !== 28) throw new RangeError(`account must be 28 bytes, got ${account.length}`)
  if (recordsRoot.length !== 32) throw new RangeError(`recordsRoot must be 32 bytes, got ${recordsRoot.length}`)
  for (const [name, n] of [['balance', balance], ['pendingExit', pendingExit], ['nonce', nonce]] as const) {
    if (n < 0n || n >= TWO_64) throw new RangeError(`${name} must be in [0, 2^64), got ${n}`)
  }
  return encodePlutusData({ constr: 0, fields: [account, balance, pendingExit, nonce, recordsRoot] })
}
