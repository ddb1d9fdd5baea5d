import { encodeCanonical, type CborValue } from '../../../sdk/src/core/cbor/canonical.js'
import { toHex } from '../../../sdk/src/core/bytes.js'
import type { Blake2b256 } from '../../../sdk/src/core/crypto/blake2b256.js'
import { encodeSignedTx, encodeTxBody } from '../../../sdk/src/core/tx/encodeTx.js'
import { signEd25519 } from '../../../sdk/src/core/crypto/ed25519.js'
import { buildSignedTx } from '../../../sdk/src/core/tx/buildSignedTx.js'
import type { Action, TxBody } from '../../../sdk/src/core/tx/types.js'
import { INSTANCE, keyTask, type User } from '../../../sdk/test/support/world.js'
import type { Rng } from './Rng.js'

/** One generated request. `valid` marks a tx sent on purpose to change the state (its id). */
export interface FuzzRequest {
  readonly kind: string
  readonly method: string
  readonly path: string
  readonly headers: Record<string, string>
  readonly body?: Uint8Array | string
  readonly validTxId?: string
}

/** A route of the node (from its OpenAPI document). */
export interface FuzzRoute {
  readonly method: string
  readonly path: string
}

/** What the generators know: routes, users with keys, a pool of valid signed txs to mutate and replay. */
export interface FuzzWorld {
  readonly routes: FuzzRoute[]
  readonly users: User[]
  readonly tokens: { admin: string; wallet: string; relay: string; revoked: string }
  readonly hash: Blake2b256
  /** Signed valid txs already applied (replays), and fresh ones (templates to mutate). */
  readonly applied: Uint8Array[]
  /** The next nonce the fuzzer will use per user for the txs it sends on purpose. */
  readonly nonces: Map<User, number>
}

const te = (s: string) => new TextEncoder().encode(s)
const OTHER_INSTANCE = new Uint8Array(28).fill(0x33)
const U64_MAX = 2n ** 64n - 1n

/** Boundary integers for amounts, nonces, fees, indices. */
const BOUNDARY: (number | bigint)[] = [0, 1, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2n ** 53n, 45_000_000_000_000_000n, 45_000_000_000_000_001n, U64_MAX]

function randomString(r: Rng): string {
  return r.pick([
    '',
    '0',
    '-1',
    'NaN',
    'Infinity',
    '1e309',
    '9'.repeat(400),
    '0x10',
    ' 1',
    '1 ',
    '%00',
    '../../etc/passwd',
    '%2e%2e%2f',
    'é'.repeat(50),
    '\u0000',
    'null',
    'true',
    '[]',
    '{}',
    'a'.repeat(r.int(5000)),
    r.hex(28),
    r.hex(32),
    r.hex(27),
    r.hex(29),
    r.hex(28).toUpperCase(),
    'zz'.repeat(28),
    String(r.pick(BOUNDARY)),
  ])
}

function fillPath(r: Rng, path: string, w: FuzzWorld): string {
  return path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => {
    if (r.chance(0.3)) return name === 'id' ? toHex(r.pick(w.users).account) : r.hex(32)
    return encodeURIComponent(randomString(r))
  })
}

function randomQuery(r: Rng): string {
  if (r.chance(0.4)) return ''
  const keys = ['from', 'limit', 'batch', 'events', 'x', 'from', '__proto__']
  const n = 1 + r.int(3)
  return '?' + Array.from({ length: n }, () => `${r.pick(keys)}=${encodeURIComponent(randomString(r))}`).join('&')
}

function tokenHeader(r: Rng, w: FuzzWorld): Record<string, string> {
  const t = r.pick([null, w.tokens.wallet, w.tokens.relay, w.tokens.admin, w.tokens.revoked, 'garbage', '', 'x'.repeat(8000), w.tokens.wallet.slice(0, -1)])
  if (t === null) return {}
  return { authorization: r.pick(['Bearer ', 'bearer ', 'Basic ', '', 'Bearer  ']) + t }
}

/** Random bytes, of a random or boundary length. */
function randomBytes(r: Rng): Uint8Array {
  return r.bytes(r.pick([0, 1, 2, 8, 64, 300, 1000, 8191, 8192, 8193, 20_000]))
}

/** A correctly signed tx whose body may break every limit (encoded without the builder's checks). */
function signed(w: FuzzWorld, u: User, body: Partial<TxBody> & { actions: Action[] }): Uint8Array {
  const full: TxBody = { instance: INSTANCE, signer: u.account, nonce: 0, fee: 0n, ...body }
  const id = w.hash(encodeTxBody(full))
  return encodeSignedTx(full, signEd25519(u.l2Secret, id))
}

function mutate(r: Rng, src: Uint8Array): Uint8Array {
  const b = new Uint8Array(src)
  switch (r.int(6)) {
    case 0: // flip bits
      for (let i = 0, n = 1 + r.int(4); i < n && b.length > 0; i++) b[r.int(b.length)]! ^= 1 << r.int(8)
      return b
    case 1: // truncate
      return b.slice(0, r.int(b.length))
    case 2: {
      // insert junk
      const at = r.int(b.length + 1)
      return new Uint8Array([...b.slice(0, at), ...r.bytes(1 + r.int(8)), ...b.slice(at)])
    }
    case 3: // trailing bytes
      return new Uint8Array([...b, ...r.bytes(1 + r.int(4))])
    case 4: {
      // set a byte to a header with a huge length (major types 2, 3, 4 with 8-byte lengths)
      const c = new Uint8Array(b.length + 8)
      c.set(b)
      const at = r.int(b.length)
      c[at] = r.pick([0x5b, 0x7b, 0x9b, 0xbb, 0x5f, 0x9f, 0xdb])
      c.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff].map((x) => (r.chance(0.5) ? x : r.int(256))), at + 1)
      return c.slice(0, b.length)
    }
    default: {
      // append a copy of a slice
      const s = r.int(b.length)
      return new Uint8Array([...b, ...b.slice(s, s + 1 + r.int(64))])
    }
  }
}

/** CBOR bodies of the wrong shape: other major types, deep nesting, huge declared lengths, tags, floats. */
function wrongCbor(r: Rng, w: FuzzWorld): Uint8Array {
  const u = r.pick(w.users)
  switch (r.int(10)) {
    case 0:
      return new Uint8Array([...Array(r.pick([10, 1000, 8000, 100_000])).fill(0x81), 0x00]) // [[[[…0…]]]]
    case 1:
      return new Uint8Array([...Array(r.pick([1000, 8000])).fill(0x9f), ...Array(10).fill(0xff)]) // indefinite arrays
    case 2:
      return new Uint8Array([r.pick([0x5b, 0x7b, 0x9b, 0xbb]), 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00]) // 2^63 long
    case 3:
      return new Uint8Array([0xa1, 0x01, 0x02]) // a map
    case 4:
      return new Uint8Array([0xfb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0]) // NaN
    case 5:
      return new Uint8Array([0xc2, 0x49, 1, 0, 0, 0, 0, 0, 0, 0, 0]) // bignum tag
    case 6:
      return encodeCanonical([[0, 1, 2, 3, 4, 5]] as CborValue) // wrong arity
    case 7: {
      // a body whose fields have the wrong types
      const fields: CborValue[] = [u.account, 0, INSTANCE, 0, []]
      const i = r.int(fields.length)
      fields[i] = r.pick<CborValue>(['text', new Uint8Array(3), [1, 2], 2 ** 40, U64_MAX])
      return encodeCanonical([fields, new Uint8Array(64)] as CborValue)
    }
    case 8:
      return encodeCanonical(Array.from({ length: r.pick([0, 1, 4097, 5000]) }, () => new Uint8Array(1)) as CborValue) // /txs sizes
    default:
      return encodeCanonical([[u.account, r.pick(BOUNDARY), INSTANCE, r.pick(BOUNDARY), [[0, u.account, r.pick(BOUNDARY)]]], new Uint8Array(64)] as CborValue)
  }
}

/** Signed txs with boundary and hostile contents (correct signatures: the core must refuse them). */
function hostileSignedTx(r: Rng, w: FuzzWorld): Uint8Array {
  // Each of these is invalid by construction (the node must refuse every one): u ≠ v.
  const ui = r.int(w.users.length)
  const [u, v] = [w.users[ui]!, w.users[(ui + 1 + r.int(w.users.length - 1)) % w.users.length]!]
  const amount = BigInt(r.pick(BOUNDARY))
  const choices: (() => Uint8Array)[] = [
    () => signed(w, u, { nonce: (w.nonces.get(u) ?? 0) > 0 && r.chance(0.5) ? 0 : 1_000_000 + r.int(1000), actions: [{ type: 'transfer', to: v.account, amount }] }), // stale or future nonce
    () => signed(w, u, { nonce: w.nonces.get(u) ?? 0, actions: [{ type: 'transfer', to: v.account, amount: U64_MAX }] }), // balance
    () => signed(w, u, { nonce: w.nonces.get(u) ?? 0, actions: [{ type: 'transfer', to: r.bytes(28), amount: 1n }] }), // unknown recipient
    () => signed(w, u, { nonce: w.nonces.get(u) ?? 0, fee: U64_MAX, actions: [{ type: 'withdraw', amount: 1n }] }),
    () => signed(w, u, { nonce: w.nonces.get(u) ?? 0, actions: Array.from({ length: 17 }, () => ({ type: 'transfer' as const, to: v.account, amount: 1n })) }), // > maxActions
    () => signed(w, u, { nonce: w.nonces.get(u) ?? 0, actions: [{ type: 'put', key: r.bytes(65), value: te('x') }] }), // key too long
    () => signed(w, u, { nonce: w.nonces.get(u) ?? 0, actions: [{ type: 'put', key: te('k'), value: r.bytes(1025) }] }),
    () => signed(w, u, { nonce: w.nonces.get(u) ?? 0, actions: [{ type: 'delete', key: te('absent-' + r.int(1e9)) }] }),
    () => signed(w, u, { nonce: (w.nonces.get(u) ?? 0) + 1 + r.int(1000), actions: [] }), // a nonce from the future (an empty tx is otherwise valid)
    () => buildSignedTx({ instance: OTHER_INSTANCE, signer: u.account, nonce: w.nonces.get(u) ?? 0, fee: 0n, actions: [{ type: 'transfer', to: v.account, amount: 1n }] }, u.l2Secret, w.hash).bytes, // cross-instance
    () => {
      // signed by someone else's key
      const t = buildSignedTx({ instance: INSTANCE, signer: u.account, nonce: w.nonces.get(u) ?? 0, fee: 0n, actions: [{ type: 'transfer', to: v.account, amount: 1n }] }, v.l2Secret, w.hash)
      return t.bytes
    },
    () => {
      // a valid body with the signature's bytes changed
      const t = buildSignedTx({ instance: INSTANCE, signer: u.account, nonce: w.nonces.get(u) ?? 0, fee: 0n, actions: [{ type: 'transfer', to: v.account, amount: 1n }] }, u.l2Secret, w.hash)
      const sig = new Uint8Array(t.signature)
      sig[r.int(64)]! ^= 1 + r.int(255)
      return encodeSignedTx(t.body, sig)
    },
    () => signed(w, u, { signer: r.bytes(28), nonce: 0, actions: [{ type: 'transfer', to: v.account, amount: 1n }] }), // unknown signer
  ]
  return r.pick(choices)()
}

function jsonBody(r: Rng, w: FuzzWorld): string {
  const u = r.pick(w.users)
  const k = keyTask(u)
  const valid = { account: toHex(k.account), signature: toHex(k.signature), key: toHex(k.key) }
  switch (r.int(9)) {
    case 0:
      return '['.repeat(r.pick([100, 10_000, 30_000])) + ']'.repeat(100)
    case 1:
      return '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)
    case 2:
      return JSON.stringify({ ...valid, [r.pick(['account', 'signature', 'key'])]: r.pick<unknown>([1, null, [], {}, true, 'zz', '', 'ab'.repeat(20000)]) })
    case 3: // own keys that name Object.prototype's members
      return JSON.stringify(valid).slice(0, -1) + r.pick([',"__proto__":{"admin":true}', ',"constructor":{"prototype":{"x":1}}', ',"toString":1', ',"hasOwnProperty":"x"']) + '}'
    case 4:
      return '{"account": "' + toHex(u.account) + '", '
    case 5:
      return JSON.stringify(valid) // replayed registration: ALREADY_REGISTERED
    case 6:
      return JSON.stringify({ ...valid, signature: toHex(keyTask(u, { instance: OTHER_INSTANCE }).signature) }) // cross-instance authorization
    case 7:
      return String(r.pick(BOUNDARY))
    default:
      return Buffer.from(r.bytes(r.int(2000))).toString('latin1')
  }
}

/**
 * One request: a route from the table (or a made-up one), any method, hostile params, queries,
 * headers and bodies. About 1 % are valid transfers sent on purpose (`validTxId`), and some are
 * replays of txs already applied.
 *
 * @example
 * const req = nextRequest(rng, world)
 */
export function nextRequest(r: Rng, w: FuzzWorld): FuzzRequest {
  // Half the requests carry a tx body (the routes that parse untrusted CBOR); the rest spread over every route.
  const txRoute = r.chance(0.45) ? { method: 'post', path: r.chance(0.75) ? '/tx' : '/txs' } : null
  const route = txRoute ?? (r.chance(0.05) ? { method: r.pick(['get', 'post']), path: '/' + encodeURIComponent(randomString(r)) } : r.pick(w.routes))
  let method = route.method.toUpperCase()
  if (!txRoute && r.chance(0.05)) method = r.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'GET', 'POST'])
  // /admin/pause would make every later submission 503 PAUSED by design: not fuzzed with the admin token.
  const headers = route.path === '/admin/pause' ? {} : txRoute && r.chance(0.7) ? { authorization: `Bearer ${w.tokens.wallet}` } : tokenHeader(r, w)
  const path = fillPath(r, route.path, w) + randomQuery(r)
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'DELETE') return { kind: 'read', method, path, headers }
  const isTx = route.path === '/tx' || route.path === '/txs'
  const contentType = r.chance(0.9) ? (isTx ? 'application/cbor' : 'application/json') : r.pick(['text/plain', 'application/json', 'application/cbor', '', 'multipart/form-data; boundary=x', 'application/cbor; charset=utf-8'])
  if (contentType) headers['content-type'] = contentType
  if (!isTx) return { kind: 'json', method, path, headers, body: r.chance(0.8) ? jsonBody(r, w) : randomBytes(r) }
  if (r.chance(0.01) && route.path === '/tx' && method === 'POST') {
    // A valid transfer, sent on purpose with the wallet token.
    const u = r.pick(w.users)
    const n = w.nonces.get(u) ?? 0
    const t = buildSignedTx({ instance: INSTANCE, signer: u.account, nonce: n, fee: r.chance(0.5) ? 0n : 1n, actions: [{ type: 'transfer', to: r.pick(w.users).account, amount: 1n + BigInt(r.int(1000)) }] }, u.l2Secret, w.hash)
    return { kind: 'valid', method: 'POST', path: '/tx', headers: { 'content-type': 'application/cbor', authorization: `Bearer ${w.tokens.wallet}` }, body: t.bytes, validTxId: toHex(t.id) + ':' + w.users.indexOf(u) + ':' + n }
  }
  const pick = r.int(100)
  let body: Uint8Array
  let kind: string
  if (pick < 15) [kind, body] = ['random-bytes', randomBytes(r)]
  else if (pick < 40) [kind, body] = ['mutated', mutate(r, w.applied.length > 0 && r.chance(0.7) ? r.pick(w.applied) : hostileSignedTx(r, w))]
  else if (pick < 60) [kind, body] = ['wrong-cbor', wrongCbor(r, w)]
  else if (pick < 85) [kind, body] = ['hostile-signed', hostileSignedTx(r, w)]
  else [kind, body] = ['replay', w.applied.length > 0 ? r.pick(w.applied) : hostileSignedTx(r, w)]
  if (route.path === '/txs' && r.chance(0.6)) body = encodeCanonical(Array.from({ length: 1 + r.int(5) }, () => (r.chance(0.5) ? body : hostileSignedTx(r, w))) as CborValue)
  return { kind, method, path, headers, body }
}
