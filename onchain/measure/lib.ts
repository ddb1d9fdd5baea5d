/**
 * What the on-chain figures scripts share: a strict devnet with funded accounts, one tx completed,
 * submitted and measured, an instance with its reference scripts, deposits, commits.
 */
import { Data, getAddressDetails, Lucid, credentialToAddress, type EmulatorAccount, type LucidEvolution, type TxBuilder, type UTxO } from '@lucid-evolution/lucid'
import { createDevnet, createTestAccounts, type StrictEmulator } from '@lagoon/devnet'
import { toHex } from '../../sdk/src/core/bytes.js'
import { blake2b256Reference, loadBlake2b256, type Blake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { buildCommitTx, buildDepositTx, buildInitTx, depositDatumToData, EMPTY_HASHES_DATUM, type LagoonScripts, type ScriptRefs } from '../../sdk/src/l1/index.js'

/** One ADA in lovelace. */
export const ADA = 1_000_000n
/** The exodus timeout of the measured instances (ms). */
export const TIMEOUT = 600_000n
/** Progress on stderr (the report goes to stdout). */
export const log = (s: string): void => void process.stderr.write(s + '\n')

/** One measured tx. */
export interface Measured {
  fee: bigint
  /** The ledger's minimum fee for this tx: 44 × size + 155,381 + ⌈0.0577 × mem + 0.0000721 × CPU⌉ + 15 × reference-script bytes. */
  minFee: bigint
  size: number
  /** Ex-units per redeemer, in the tx's redeemer order. */
  units: { tag: string; mem: bigint; cpu: bigint }[]
  mem: bigint
  cpu: bigint
}

/** The devnet and the operator the figures run on. */
export interface Env {
  devnet: StrictEmulator
  lucid: LucidEvolution
  operator: EmulatorAccount
  operatorKeyHash: string
  hash: Blake2b256
}

/** A strict devnet with 8 accounts of 1,000,000 ADA; the first is the operator. */
export async function env(): Promise<Env> {
  const accounts = createTestAccounts(8, { lovelace: 1_000_000_000_000n })
  const devnet = createDevnet({ accounts })
  const lucid = await Lucid(devnet, 'Custom')
  const operator = accounts[0]!
  lucid.selectWallet.fromPrivateKey(operator.privateKey)
  let hash: Blake2b256 = blake2b256Reference
  try {
    hash = await loadBlake2b256('libsodium')
  } catch {
    /* the reference hash is slower but the same */
  }
  return { devnet, lucid, operator, operatorKeyHash: getAddressDetails(operator.address).paymentCredential!.hash, hash }
}

/** Completes, signs, submits one tx; returns its figures. */
export async function submit(e: Env, tx: TxBuilder): Promise<Measured> {
  const done = await tx.complete()
  const signed = await done.sign.withWallet().complete()
  const t = signed.toTransaction()
  const rs = t.witness_set().redeemers()?.as_arr_legacy_redeemer()
  const units: Measured['units'] = []
  for (let i = 0; i < (rs?.len() ?? 0); i++) {
    const r = rs!.get(i)
    units.push({ tag: ['spend', 'mint', 'cert', 'reward'][r.tag()] ?? '?', mem: r.ex_units().mem(), cpu: r.ex_units().steps() })
  }
  await e.devnet.submitTx(signed.toCBOR())
  e.devnet.awaitBlock(1)
  const size = signed.toCBOR().length / 2
  const mem = units.reduce((a, u) => a + u.mem, 0n)
  const cpu = units.reduce((a, u) => a + u.cpu, 0n)
  let refBytes = 0
  const ri = t.body().reference_inputs()
  for (let i = 0; i < (ri?.len() ?? 0); i++) refBytes += REF_SIZES.get(`${ri!.get(i).transaction_id().to_hex()}#${ri!.get(i).index()}`) ?? 0
  const minFee = 44n * BigInt(size) + 155_381n + BigInt(Math.ceil(0.0577 * Number(mem) + 0.0000721 * Number(cpu))) + 15n * BigInt(refBytes)
  return {
    fee: t.body().fee(),
    minFee,
    size: signed.toCBOR().length / 2,
    units,
    mem: units.reduce((a, u) => a + u.mem, 0n),
    cpu: units.reduce((a, u) => a + u.cpu, 0n),
  }
}

/** Script bytes held by each reference-script UTxO (`txHash#index`). */
export const REF_SIZES = new Map<string, number>()

/** An address nobody can spend from (a key hash with no known key): holds the reference scripts. */
export const REF_HOLDER = credentialToAddress('Custom', { type: 'Key', hash: 'ee'.repeat(28) })

/** A minted instance with its reference-script UTxOs. */
export interface Instance {
  scripts: LagoonScripts
  refs: ScriptRefs
  anchor: () => Promise<UTxO>
  init: Measured
  logSeq: bigint
}

/** Mints an instance (release scripts) and deploys its reference scripts at an address nobody spends from. */
export async function newInstance(e: Env): Promise<Instance> {
  const utxos = await e.lucid.wallet().getUtxos()
  const seed = utxos.find((u) => u.assets.lovelace! > 100n * ADA)!
  const { scripts, tx } = buildInitTx(e.lucid, { seed, operator: e.operatorKeyHash, exodusTimeout: TIMEOUT, now: e.devnet.now() })
  const init = await submit(e, tx)
  // Reference scripts: one UTxO per script, at an address nobody spends from.
  await submit(e, e.lucid.newTx().pay.ToAddressWithData(REF_HOLDER, { kind: 'inline', value: EMPTY_HASHES_DATUM }, {}, scripts.anchor).pay.ToAddressWithData(REF_HOLDER, undefined, {}, scripts.deposit))
  const held = await e.lucid.utxosAt(REF_HOLDER)
  const refs: ScriptRefs = {
    anchor: held.find((u) => u.scriptRef?.script === scripts.anchor.script),
    deposit: held.find((u) => u.scriptRef?.script === scripts.deposit.script),
  }
  if (!refs.anchor || !refs.deposit) throw new Error('reference script UTxOs not found')
  for (const u of [refs.anchor, refs.deposit]) REF_SIZES.set(`${u.txHash}#${u.outputIndex}`, u.scriptRef!.script.length / 2)
  const anchor = async () => (await e.lucid.utxosAt(scripts.anchorAddress)).find((u) => u.assets[scripts.unit] === 1n)!
  return { scripts, refs, anchor, init, logSeq: 0n }
}

/** Locks deposits; returns the deposit UTxOs created and the figures of the first. */
export async function deposit(e: Env, s: LagoonScripts, amounts: bigint[], owner: string, refundAfter: bigint): Promise<{ utxos: UTxO[]; first: Measured }> {
  const before = new Set((await e.lucid.utxosAt(s.depositAddress)).map((u) => `${u.txHash}#${u.outputIndex}`))
  let first: Measured | undefined
  // The first with the SDK's builder (its figures are the deposit row), the rest 60 outputs a tx (one block each, not one per deposit).
  const [a0, ...rest] = amounts
  if (a0 !== undefined) first = await submit(e, buildDepositTx(e.lucid, s, { owner, refundAfter }, a0))
  const datum = Data.to(depositDatumToData({ owner, refundAfter }))
  for (let i = 0; i < rest.length; i += 60) {
    let tx = e.lucid.newTx()
    for (const a of rest.slice(i, i + 60)) tx = tx.pay.ToContract(s.depositAddress, { kind: 'inline', value: datum }, { lovelace: a })
    await submit(e, tx)
  }
  const utxos = (await e.lucid.utxosAt(s.depositAddress)).filter((u) => !before.has(`${u.txHash}#${u.outputIndex}`))
  return { utxos, first: first! }
}

/** A commit of `root` absorbing `deposits` (log head and seq made up). */
export async function commit(e: Env, inst: Instance, root: string, deposits: UTxO[]): Promise<Measured> {
  inst.logSeq += 1n
  const logHead = toHex(e.hash(new TextEncoder().encode(`log ${inst.logSeq}`)))
  const { tx } = buildCommitTx(e.lucid, inst.scripts, { anchor: await inst.anchor(), deposits, root, logHead, logSeq: inst.logSeq, now: e.devnet.now(), refs: inst.refs })
  return submit(e, tx)
}

