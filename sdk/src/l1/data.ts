/**
 * Plutus data of Lagoon's on-chain types (docs/onchain.md, "Datums and redeemers"), built with
 * Lucid's `Constr` in the form an Aiken build uses: a record is `Constr 0 [fields]`, the i-th variant
 * of an enum `Constr i [fields]`.
 */
import { Constr, Data } from '@lucid-evolution/lucid'
import { blake2b } from '@noble/hashes/blake2b'
import { fromHex, toHex } from '../core/bytes.js'
import type { MerkleProof } from '../core/merkle/proof.js'
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

/** The anchor's redeemer. */
export type AnchorRedeemer =
  | { type: 'commit' }
  | { type: 'withdraw'; exits: ExitProof[] }
  | { type: 'freeze' }
  | { type: 'exodusWithdraw'; exits: ExitProof[] }

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
 * An exit as Plutus data: the leaf's fields, then its proof.
 *
 * @example
 * exitToData({ leaf: state.leafFields(acc), proof: tree.prove(acc.index) })
 */
export function exitToData(e: ExitProof): Constr<Data> {
  const l = e.leaf
  return new Constr(0, [toHex(l.account), l.balance, l.pendingExit, BigInt(l.nonce), toHex(l.recordsRoot), BigInt(e.proof.index), BigInt(e.proof.mask), toHex(e.proof.siblings)])
}

/**
 * Decodes an exit.
 *
 * @example
 * exitFromData(exitToData(e)) // deep-equals e (nonce as bigint)
 */
export function exitFromData(data: Data): ExitProof {
  const f = constr(data, 'Exit', 0, 8).fields
  return {
    leaf: { account: fromHex(bytes(f[0], 'account')), balance: big(f[1], 'balance'), pendingExit: big(f[2], 'pending_exit'), nonce: big(f[3], 'nonce'), recordsRoot: fromHex(bytes(f[4], 'records_root')) },
    proof: { index: Number(big(f[5], 'index')), mask: Number(big(f[6], 'mask')), siblings: fromHex(bytes(f[7], 'siblings')) },
  }
}

/**
 * The anchor redeemer as Plutus data.
 *
 * @example
 * Data.to(anchorRedeemerToData({ type: 'commit' })) // 'd87980'
 */
export function anchorRedeemerToData(r: AnchorRedeemer): Constr<Data> {
  if (r.type === 'withdraw' || r.type === 'exodusWithdraw') return new Constr(TAG[r.type], [r.exits.map(exitToData)])
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
      const exits = constr(c, 'Withdraw', c.index, 1).fields[0]
      if (!Array.isArray(exits)) throw new TypeError('exits: not a list')
      return { type: c.index === 1 ? 'withdraw' : 'exodusWithdraw', exits: exits.map(exitFromData) }
    }
    default:
      throw new TypeError(`AnchorRedeemer: unknown variant ${c.index}`)
  }
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
