/**
 * Plutus data of Lagoon's on-chain types (docs/onchain.md, "Datums and redeemers"), built with
 * Lucid's `Constr` in the form an Aiken build uses: a record is `Constr 0 [fields]`, the i-th variant
 * of an enum `Constr i [fields]`.
 */
import { Constr, Data } from '@lucid-evolution/lucid'
import { blake2b } from '@noble/hashes/blake2b'
import { concatBytes, fromHex, toHex } from '../core/bytes.js'
import type { MerkleProof } from '../core/merkle/proof.js'
import { emptyHashes } from '../core/merkle/emptyHashes.js'
import { blake2b256Reference } from '../core/crypto/blake2b256.js'
import type { LeafFields } from '../core/state/leafBytes.js'

/** The state token's asset name, `lagoon`. */
export const STATE_TOKEN_NAME = '6c61676f6f6e'

/** The anchor's mode. */
export type AnchorMode = 'active' | 'frozen'

/** The anchor's datum; byte strings are hex. */
export interface AnchorDatum {
  root: string
  batch: bigint
  logHead: string
  logSeq: bigint
  /** The operator's payment key hash (signs commits). */
  operator: string
  /** POSIX ms: lower bound of the last commit's validity range. */
  lastCommit: bigint
  /** ms without a commit after which anyone may freeze. */
  exodusTimeout: bigint
  mode: AnchorMode
  depositsHash: string
}

/** A deposit's datum. */
export interface DepositDatum {
  /** The owner's account (payment key hash), hex. */
  owner: string
  /** POSIX ms after which the owner may take the deposit back. */
  refundAfter: bigint
}

/** An out-ref. */
export interface OutRef {
  txHash: string
  outputIndex: number
}

/** One exit: a leaf and its proof. */
export interface ExitProof {
  leaf: LeafFields
  proof: MerkleProof
}

/**
 * The anchor's redeemer. `empties` (hex) of a withdraw is `empty(0) ‖ … ‖ empty(31)`
 * ({@link EMPTY_HASHES}, the default) or `''`: read from the inline datum of the tx's first reference
 * input (see {@link EMPTY_HASHES_DATUM}).
 */
export type AnchorRedeemer =
  | { type: 'commit' }
  | { type: 'withdraw'; exits: ExitProof[]; empties?: string }
  | { type: 'freeze' }
  | { type: 'exodusWithdraw'; exits: ExitProof[]; empties?: string }

/**
 * `empty(0) ‖ … ‖ empty(31)` (hex, 1,024 bytes): the roots of the empty subtrees, which the Merkle
 * check needs above a proof's last sibling. A withdraw passes them in its redeemer or, for `''`, in
 * the inline datum of its first reference input.
 *
 * @example
 * EMPTY_HASHES.slice(0, 64) // '00…00' = empty(0)
 */
export const EMPTY_HASHES: string = toHex(concatBytes(...emptyHashes(blake2b256Reference).slice(0, 32)))

/**
 * The inline datum (CBOR hex) to put on the anchor's reference-script UTxO so that withdraws read
 * {@link EMPTY_HASHES} from it instead of carrying 1 KB in their redeemer.
 *
 * @example
 * lucid.newTx().pay.ToAddressWithData(holder, { kind: 'inline', value: EMPTY_HASHES_DATUM }, {}, scripts.anchor)
 */
export const EMPTY_HASHES_DATUM: string = Data.to(EMPTY_HASHES)

const TAG = { commit: 0, withdraw: 1, freeze: 2, exodusWithdraw: 3 } as const

function constr(d: Data, what: string, index?: number, fields?: number): Constr<Data> {
  if (!(d instanceof Constr)) throw new TypeError(`${what}: not a constructor`)
  if (index !== undefined && d.index !== index) throw new TypeError(`${what}: constructor ${d.index}, expected ${index}`)
  if (fields !== undefined && d.fields.length !== fields) throw new TypeError(`${what}: ${d.fields.length} fields, expected ${fields}`)
  return d
}
const big = (d: Data | undefined, what: string): bigint => {
  if (typeof d !== 'bigint') throw new TypeError(`${what}: not an integer`)
  return d
}
const bytes = (d: Data | undefined, what: string): string => {
  if (typeof d !== 'string') throw new TypeError(`${what}: not bytes`)
  return d
}

/**
 * The anchor datum as Plutus data (`Data.to(anchorDatumToData(d))` is the inline datum's CBOR).
 *
 * @example
 * Data.to(anchorDatumToData({ root, batch: 0n, logHead, logSeq: 0n, operator, lastCommit: 0n, exodusTimeout: 86_400_000n, mode: 'active', depositsHash }))
 */
export function anchorDatumToData(d: AnchorDatum): Constr<Data> {
  return new Constr(0, [d.root, d.batch, d.logHead, d.logSeq, d.operator, d.lastCommit, d.exodusTimeout, new Constr(d.mode === 'active' ? 0 : 1, []), d.depositsHash])
}

/**
 * Decodes an anchor datum (Plutus data or its CBOR hex). Throws `TypeError` on any other shape.
 *
 * @example
 * anchorDatumFromData(utxo.datum!).batch
 */
export function anchorDatumFromData(data: Data | string): AnchorDatum {
  const c = constr(typeof data === 'string' && /^d8/.test(data) ? Data.from(data) : data, 'AnchorDatum', 0, 9)
  const f = c.fields
  const mode = constr(f[7] as Data, 'Mode', undefined, 0)
  if (mode.index > 1) throw new TypeError('Mode: unknown variant')
  return {
    root: bytes(f[0], 'root'),
    batch: big(f[1], 'batch'),
    logHead: bytes(f[2], 'log_head'),
    logSeq: big(f[3], 'log_seq'),
    operator: bytes(f[4], 'operator'),
    lastCommit: big(f[5], 'last_commit'),
    exodusTimeout: big(f[6], 'exodus_timeout'),
    mode: mode.index === 0 ? 'active' : 'frozen',
    depositsHash: bytes(f[8], 'deposits_hash'),
  }
}

/**
 * A deposit datum as Plutus data.
 *
 * @example
 * Data.to(depositDatumToData({ owner, refundAfter: BigInt(Date.now() + 86_400_000) }))
 */
export function depositDatumToData(d: DepositDatum): Constr<Data> {
  return new Constr(0, [d.owner, d.refundAfter])
}

/**
 * Decodes a deposit datum (Plutus data or CBOR hex).
 *
 * @example
 * depositDatumFromData(utxo.datum!).owner
 */
export function depositDatumFromData(data: Data | string): DepositDatum {
  const c = constr(typeof data === 'string' && /^d8/.test(data) ? Data.from(data) : data, 'DepositDatum', 0, 2)
  return { owner: bytes(c.fields[0], 'owner'), refundAfter: big(c.fields[1], 'refund_after') }
}

/**
 * A proof in the validator's explicit form: `siblings` holds every sibling of levels 0 .. h-1 (an
 * empty subtree sent as `empty(l)`), with h the least even height that covers the core proof's mask
 * and index; every level from h up is a left child with an empty sibling. No mask is sent.
 *
 * @example
 * explicitProof(tree.prove(5)).siblings.length // 32 × h
 */
export function explicitProof(proof: MerkleProof): { index: number; siblings: Uint8Array } {
  // Even: the validator takes two levels a step.
  const least = Math.max(bitLength(proof.mask), bitLength(proof.index))
  const h = least + (least % 2)
  const empty = emptyHashes(blake2b256Reference)
  const out = new Uint8Array(32 * h)
  let next = 0
  for (let l = 0; l < h; l++) {
    const sent = Math.floor(proof.mask / 2 ** l) % 2 === 1
    out.set(sent ? proof.siblings.subarray(next, (next += 32)) : empty[l]!, 32 * l)
  }
  return { index: proof.index, siblings: out }
}

/**
 * The core's masked proof of an explicit one (the inverse of {@link explicitProof}): a sibling equal
 * to `empty(l)` is left out and its mask bit cleared.
 *
 * @example
 * maskedProof(explicitProof(p)) // deep-equals p
 */
export function maskedProof(p: { index: number; siblings: Uint8Array }): MerkleProof {
  const empty = emptyHashes(blake2b256Reference)
  const kept: Uint8Array[] = []
  let mask = 0
  for (let l = 0; l < p.siblings.length / 32; l++) {
    const s = p.siblings.subarray(32 * l, 32 * l + 32)
    if (toHex(s) !== toHex(empty[l]!)) {
      kept.push(s)
      mask += 2 ** l
    }
  }
  const siblings = new Uint8Array(32 * kept.length)
  kept.forEach((s, i) => siblings.set(s, 32 * i))
  return { index: p.index, mask, siblings }
}

const bitLength = (x: number): number => (x === 0 ? 0 : Math.floor(Math.log2(x)) + 1)

/**
 * A leaf as Plutus data: `Constr 0 [account, balance, pending_exit, nonce, records_root]`.
 *
 * @example
 * Data.to(leafToData(state.leafFields(acc))) // the bytes the leaf hash is taken of
 */
export function leafToData(l: LeafFields): Constr<Data> {
  return new Constr(0, [toHex(l.account), l.balance, l.pendingExit, BigInt(l.nonce), toHex(l.recordsRoot)])
}

/**
 * An exit as Plutus data: `Constr 0 [leaf, index, siblings]`, the proof in explicit form
 * ({@link explicitProof}).
 *
 * @example
 * exitToData({ leaf: state.leafFields(acc), proof: tree.prove(acc.index) })
 */
export function exitToData(e: ExitProof): Constr<Data> {
  const p = explicitProof(e.proof)
  return new Constr(0, [leafToData(e.leaf), BigInt(p.index), toHex(p.siblings)])
}

/**
 * Decodes an exit (the proof back in the core's masked form).
 *
 * @example
 * exitFromData(exitToData(e)) // deep-equals e (nonce as bigint)
 */
export function exitFromData(data: Data): ExitProof {
  const f = constr(data, 'Exit', 0, 3).fields
  const l = constr(f[0] as Data, 'Leaf', 0, 5).fields
  const siblings = fromHex(bytes(f[2], 'siblings'))
  if (siblings.length % 32 !== 0 || siblings.length > 32 * 32) throw new TypeError('siblings: not whole 32-byte hashes')
  return {
    leaf: { account: fromHex(bytes(l[0], 'account')), balance: big(l[1], 'balance'), pendingExit: big(l[2], 'pending_exit'), nonce: big(l[3], 'nonce'), recordsRoot: fromHex(bytes(l[4], 'records_root')) },
    proof: maskedProof({ index: Number(big(f[1], 'index')), siblings }),
  }
}

/**
 * The anchor redeemer as Plutus data.
 *
 * @example
 * Data.to(anchorRedeemerToData({ type: 'commit' })) // 'd87980'
 */
export function anchorRedeemerToData(r: AnchorRedeemer): Constr<Data> {
  if (r.type === 'withdraw' || r.type === 'exodusWithdraw') return new Constr(TAG[r.type], [r.exits.map(exitToData), r.empties ?? EMPTY_HASHES])
  return new Constr(TAG[r.type], [])
}

/**
 * Decodes an anchor redeemer.
 *
 * @example
 * anchorRedeemerFromData(Data.from('d87980')) // { type: 'commit' }
 */
export function anchorRedeemerFromData(data: Data): AnchorRedeemer {
  const c = constr(data, 'AnchorRedeemer')
  switch (c.index) {
    case 0: constr(c, 'Commit', 0, 0); return { type: 'commit' }
    case 2: constr(c, 'Freeze', 2, 0); return { type: 'freeze' }
    case 1:
    case 3: {
      const [exits, empties] = constr(c, 'Withdraw', c.index, 2).fields
      if (!Array.isArray(exits)) throw new TypeError('exits: not a list')
      return { type: c.index === 1 ? 'withdraw' : 'exodusWithdraw', exits: exits.map(exitFromData), empties: bytes(empties, 'empties') }
    }
    default:
      throw new TypeError(`AnchorRedeemer: unknown variant ${c.index}`)
  }
}

/**
 * The CBOR of a Withdraw (or ExodusWithdraw) redeemer, as compact as the ledger allows: the redeemer,
 * the exit list and each exit as definite-length arrays (one byte less each than Lucid's default),
 * but each **leaf** in the canonical Plutus encoding (Lucid's default, indefinite-length fields). The
 * validator hashes the leaf's data with `serialise_data`: a Cardano node re-encodes it canonically,
 * while pallas-based evaluators (Lucid's local evaluation, the devnet) re-emit the bytes as sent, so
 * only the canonical form gives the same leaf hash everywhere. Decodes to the same Plutus data as
 * `Data.to(anchorRedeemerToData(r))`. `empties`: see {@link AnchorRedeemer}.
 *
 * @example
 * tx.collectFrom([anchor], withdrawRedeemerCbor(false, exits, ''))
 */
export function withdrawRedeemerCbor(exodus: boolean, exits: readonly ExitProof[], empties: string = EMPTY_HASHES): string {
  const head = (major: number, n: number): string => {
    const m = major << 5
    if (n < 24) return (m | n).toString(16).padStart(2, '0')
    if (n < 256) return (m | 24).toString(16) + n.toString(16).padStart(2, '0')
    if (n < 65536) return (m | 25).toString(16) + n.toString(16).padStart(4, '0')
    return (m | 26).toString(16) + n.toString(16).padStart(8, '0')
  }
  let out = (exodus ? 'd87c' : 'd87a') + head(4, 2) + head(4, exits.length)
  for (const e of exits) {
    const p = explicitProof(e.proof)
    out += 'd879' + head(4, 3) + Data.to(leafToData(e.leaf)) + Data.to(BigInt(p.index)) + Data.to(toHex(p.siblings))
  }
  return out + Data.to(empties)
}

/** The deposit redeemers: Absorb (by a Commit) and Refund. */
export const DepositRedeemer = {
  absorb: Data.to(new Constr(0, [])),
  refund: Data.to(new Constr(1, [])),
} as const

/** The state token's mint redeemer (ignored by the policy). */
export const STATE_TOKEN_REDEEMER = Data.to(new Constr(0, []))

/**
 * `OutputReference` as Plutus data: `Constr 0 [Constr 0 [txHash], index]`.
 *
 * @example
 * Data.to(outRefToData({ txHash, outputIndex: 0 }))
 */
export function outRefToData(r: OutRef): Constr<Data> {
  return new Constr(0, [new Constr(0, [r.txHash]), BigInt(r.outputIndex)])
}

/** One deposit a commit absorbs. */
export interface AbsorbedDeposit extends OutRef {
  owner: string
  amount: bigint
}

/**
 * `deposits_hash`: blake2b-256 of the serialised list of absorbed deposits
 * (`Constr 0 [out_ref, owner, amount]`), in the tx's input order (sorted by out-ref).
 *
 * @example
 * depositsHash([]) // blake2b-256 of 0x80
 */
export function depositsHash(deposits: readonly AbsorbedDeposit[]): string {
  const list = sortByOutRef(deposits).map((d) => new Constr(0, [outRefToData(d), d.owner, d.amount]))
  return toHex(blake2b(fromHex(Data.to(list as Data)), { dkLen: 32 }))
}

/**
 * Sorts by out-ref as the ledger orders a tx's inputs (tx hash bytes, then index).
 *
 * @example
 * sortByOutRef(utxos)[0]
 */
export function sortByOutRef<T extends OutRef>(refs: readonly T[]): T[] {
  return [...refs].sort((a, b) => (a.txHash < b.txHash ? -1 : a.txHash > b.txHash ? 1 : a.outputIndex - b.outputIndex))
}
