import { credentialToAddress, Lucid, type EmulatorAccount, type LucidEvolution, type TxBuilder, type UTxO } from '@lucid-evolution/lucid'
import { createDevnet, createTestAccounts, DevnetRuleError, type StrictEmulator } from '@lagoon/devnet'
import { concatBytes, fromHex, toHex } from '../../src/core/bytes.js'
import type { DepositTask } from '../../src/core/task/types.js'
import { buildCommitTx, buildDepositTx, buildInitTx, depositDatumFromData, type LagoonScripts } from '../../src/l1/index.js'
import { blake2b256Reference } from '../../src/core/crypto/blake2b256.js'
import { MemoryLedger } from '../../src/core/ledger/MemoryLedger.js'
import { StateTree } from '../../src/core/merkle/StateTree.js'
import { leafHash } from '../../src/core/state/leafHash.js'
import type { LeafFields } from '../../src/core/state/leafBytes.js'
import { context, keyTask, tx as l2tx, user, type User } from '../support/world.js'
import { expectRefusedAtSubmit, withoutEvaluation, type Build, type RefusalWorld } from './refusal.js'

export { BUILDS, type Build } from './refusal.js'

export const hash = blake2b256Reference

/** One ADA in lovelace. */
export const ADA = 1_000_000n

/** An emulator account whose key is the test user's layer-1 wallet key. */
export function walletOf(u: User, lovelace = 1_000_000_000n): EmulatorAccount {
  return { seedPhrase: '', address: credentialToAddress('Custom', { type: 'Key', hash: toHex(u.account) }), assets: { lovelace }, privateKey: u.walletKey }
}

export interface World extends RefusalWorld {
  devnet: StrictEmulator
  lucid: LucidEvolution
  operator: EmulatorAccount
  operatorKeyHash: string
  users: User[]
  ledger: MemoryLedger
}

/** A strict devnet with a funded operator and `nUsers` users; instances opened in it use the `build` blueprint. */
export async function world(nUsers: number, build: Build = 'debug'): Promise<World> {
  const [operator] = createTestAccounts(1, { lovelace: 100_000_000_000n }) as [EmulatorAccount]
  const users = Array.from({ length: nUsers }, (_, i) => user(i + 1))
  const devnet = createDevnet({ accounts: [operator, ...users.map((u) => walletOf(u))] })
  const lucid = await Lucid(devnet, 'Custom')
  lucid.selectWallet.fromPrivateKey(operator.privateKey)
  const { getAddressDetails } = await import('@lucid-evolution/lucid')
  const operatorKeyHash = getAddressDetails(operator.address).paymentCredential!.hash
  return { devnet, lucid, operator, operatorKeyHash, users, ledger: new MemoryLedger(context(hash)), build, instances: [] }
}

/** Completes (local evaluation on), signs with the selected wallet, submits; returns the tx hash. */
export async function submit(w: World, tx: TxBuilder, signWith?: string): Promise<string> {
  const done = await tx.complete()
  const signed = signWith ? await done.sign.withPrivateKey(signWith).complete() : await done.sign.withWallet().complete()
  if (process.env.LAGOON_MEASURE) {
    const t = signed.toTransaction()
    const rs = t.witness_set().redeemers()?.as_arr_legacy_redeemer()
    const units: string[] = []
    for (let i = 0; i < (rs?.len() ?? 0); i++) units.push(`${rs!.get(i).ex_units().mem()}/${rs!.get(i).ex_units().steps()}`)
    console.log(`MEASURE fee=${t.body().fee()} size=${signed.toCBOR().length / 2} exunits=${units.join(',')}`)
  }
  const h = await w.devnet.submitTx(signed.toCBOR())
  w.devnet.awaitBlock(1)
  return h
}

/**
 * Whether a tx is refused for the reason `message`, twice: by `complete()`'s local evaluation (on the
 * debug build its error carries `message`), and by the strict devnet's submit of the same tx built
 * with fixed ex-units (`expectRefusedAtSubmit`: the trace on the debug build, the failing validator on
 * the release build). Returns the local evaluation's error text.
 */
export async function expectRejected(w: World, tx: TxBuilder, message: string, signWith?: string): Promise<string> {
  let err: unknown
  try {
    await submit(w, tx, signWith)
  } catch (e) {
    err = e
  }
  if (err === undefined) throw new Error(`expected a rejection with "${message}", the tx was accepted`)
  const text = err instanceof DevnetRuleError ? JSON.stringify(err.details) + err.message : String(err instanceof Error ? err.message : err) + JSON.stringify(err)
  if (w.build === 'debug' && !text.includes(message)) throw new Error(`expected "${message}", got: ${text.slice(0, 2000)}`)
  if (!(err instanceof DevnetRuleError)) await expectRefusedAtSubmit(w, await withoutEvaluation(w, tx, signWith), message)
  return text
}

/** The state tree of the ledger's accounts (for sequential exit proofs). */
export function treeOf(ledger: MemoryLedger): { tree: StateTree; leaves: { index: number; leaf: LeafFields }[] } {
  const accounts = ledger.state.allAccounts()
  const leaves = accounts.map((a) => ({ index: a.index, leaf: ledger.state.leafFields(a) }))
  const tree = StateTree.fromLeaves(hash, concatBytes(...leaves.map((l) => leafHash(hash, l.leaf))))
  return { tree, leaves }
}

/** Registers the users on layer 2. */
export function registerAll(w: World): void {
  for (const u of w.users) {
    const r = w.ledger.submit(keyTask(u))
    if (!r.ok) throw new Error(JSON.stringify(r.rejection))
  }
}

/** A layer-2 withdrawal request of `amount` by `u`. */
export function requestExit(w: World, u: User, amount: bigint): void {
  const acc = w.ledger.state.getAccount(u.account)!
  const r = w.ledger.submit({ kind: 'tx', tx: l2tx(u, acc.nonce, [{ type: 'withdraw', amount }]) })
  if (!r.ok) throw new Error(JSON.stringify(r.rejection))
}

export const utxoAt = async (w: World, address: string): Promise<UTxO[]> => w.lucid.utxosAt(address)

/** The task a follower writes for a deposit UTxO: its out-ref, datum owner and lovelace. */
export function depositTask(d: UTxO): DepositTask {
  return { kind: 'deposit', txHash: fromHex(d.txHash), index: d.outputIndex, owner: fromHex(depositDatumFromData(d.datum!).owner), amount: d.assets.lovelace! }
}

/** Credits deposit UTxOs on layer 2 (the ledger), failing loudly if one is refused. */
export function creditDeposits(w: World, deposits: readonly UTxO[]): void {
  for (const d of deposits) {
    const r = w.ledger.submit(depositTask(d))
    if (!r.ok) throw new Error(JSON.stringify(r.rejection))
  }
}

/** `u` locks `lovelace` at the deposit address (refundable after `refundInMs`); the operator's wallet is selected again after. */
export async function depositFrom(w: World, scripts: LagoonScripts, u: User, lovelace: bigint, refundInMs = 3_600_000): Promise<string> {
  w.lucid.selectWallet.fromPrivateKey(u.walletKey)
  const h = await submit(w, buildDepositTx(w.lucid, scripts, { owner: toHex(u.account), refundAfter: BigInt(w.devnet.now() + refundInMs) }, lovelace))
  w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
  return h
}

/**
 * A new instance with the world's build of the scripts: minted, every user registered on layer 2 and
 * holding a deposit of `deposit` lovelace on layer 1 (not yet credited); the operator's wallet selected.
 */
export async function openInstance(w: World, opts: { exodusTimeout?: bigint; deposit: bigint }): Promise<{ scripts: LagoonScripts; anchor: () => Promise<UTxO> }> {
  const [seed] = await w.lucid.wallet().getUtxos()
  const init = buildInitTx(w.lucid, { seed: seed!, operator: w.operatorKeyHash, exodusTimeout: opts.exodusTimeout ?? 3_600_000n, now: w.devnet.now(), debug: w.build === 'debug' })
  const scripts = init.scripts
  w.instances.push(scripts)
  await submit(w, init.tx)
  registerAll(w)
  for (const u of w.users) await depositFrom(w, scripts, u, opts.deposit)
  const anchor = async () => (await utxoAt(w, scripts.anchorAddress)).find((u) => u.assets[scripts.unit] === 1n)!
  return { scripts, anchor }
}

/** A Commit of the ledger's current root, log head and seq, absorbing `deposits`. */
export async function commitLedger(w: World, scripts: LagoonScripts, anchor: UTxO, deposits: UTxO[]): Promise<TxBuilder> {
  return buildCommitTx(w.lucid, scripts, { anchor, deposits, root: toHex(w.ledger.state.root()), logHead: toHex(w.ledger.head), logSeq: BigInt(w.ledger.seq), now: w.devnet.now() }).tx
}
