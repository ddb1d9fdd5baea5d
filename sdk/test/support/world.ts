import { CML } from '@lucid-evolution/lucid'
import { concatBytes, toHex } from '../../src/core/bytes.js'
import { blake2b256Reference, type Blake2b256 } from '../../src/core/crypto/blake2b256.js'
import { ed25519PublicKey, verifyEd25519Noble } from '../../src/core/crypto/ed25519.js'
import { DEFAULT_LIMITS } from '../../src/core/limits.js'
import { signKeyAuthorization } from '../../src/core/registration/signKeyAuthorization.js'
import type { ApplyContext, ProtocolParams } from '../../src/core/state/types.js'
import type { KeyTask } from '../../src/core/task/types.js'
import { buildSignedTx } from '../../src/core/tx/buildSignedTx.js'
import type { Action, SignedTx } from '../../src/core/tx/types.js'

/** A deterministic test user: a layer-1 wallet key (CIP-8 signer) and a layer-2 key. */
export interface User {
  readonly account: Uint8Array
  readonly addressHex: string
  readonly walletKey: string
  readonly l2Secret: Uint8Array
  readonly l2Key: Uint8Array
}

/** A user whose keys derive from `seed` (1..255): the same bytes on every run, for golden vectors. */
export function user(seed: number): User {
  const sk = CML.PrivateKey.from_normal_bytes(new Uint8Array(32).fill(seed))
  const account = sk.to_public().hash().to_raw_bytes()
  // Enterprise address on a test network: header 0x60, then the payment key hash.
  const address = concatBytes(new Uint8Array([0x60]), account)
  const l2Secret = new Uint8Array(32).fill(seed ^ 0xa5)
  return { account, addressHex: toHex(address), walletKey: sk.to_bech32(), l2Secret, l2Key: ed25519PublicKey(l2Secret) }
}

export const INSTANCE = new Uint8Array(28).fill(0x11)
export const TERMS = new Uint8Array(32).fill(0x22)
export const OPERATOR = user(250)

export const PARAMS: ProtocolParams = { instance: INSTANCE, operator: OPERATOR.account, terms: TERMS, limits: DEFAULT_LIMITS }

/** An apply context with the reference (pure JavaScript) crypto, or the given hash. */
export function context(hash: Blake2b256 = blake2b256Reference): ApplyContext {
  return { params: PARAMS, hash, verifyEd25519: verifyEd25519Noble }
}

/** A registration (or rotation) task signed by the user's wallet, as CIP-30 `signData` would. */
export function keyTask(u: User, opts: { kind?: 'register' | 'rotate'; epoch?: number; l2Key?: Uint8Array; terms?: Uint8Array; instance?: Uint8Array } = {}): KeyTask {
  const signed = signKeyAuthorization(
    u.addressHex,
    { instance: opts.instance ?? INSTANCE, account: u.account, l2Key: opts.l2Key ?? u.l2Key, terms: opts.terms ?? TERMS, epoch: opts.epoch ?? 0 },
    u.walletKey,
  )
  return { kind: opts.kind ?? 'register', account: u.account, ...signed }
}

/** A transaction signed by the user's layer-2 key. */
export function tx(u: User, nonce: number, actions: Action[], fee = 0n, hash: Blake2b256 = blake2b256Reference): SignedTx {
  return buildSignedTx({ instance: INSTANCE, signer: u.account, nonce, fee, actions }, u.l2Secret, hash)
}

/** A deterministic 32-byte layer-1 tx hash for deposit tasks. */
export function l1Hash(n: number): Uint8Array {
  return blake2b256Reference(new Uint8Array([n & 0xff, (n >> 8) & 0xff, 0x4c]))
}
