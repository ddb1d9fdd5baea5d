/**
 * Lagoon's on-chain figures (docs/onchain.md, "Figures"): builds real transactions with the SDK's
 * layer-1 builders on the strict devnet (local evaluation on, release blueprint, reference scripts)
 * and prints a Markdown report: script sizes; ex-units and fee per transition; withdrawal cost
 * against tree size (MemoryLedger with 3 accounts, 1,000 and 1,000,000 accounts) and against the
 * number of exits per tx, up to the most that fit.
 *
 * Run: npm run figures:onchain
 */
import { cpus, totalmem } from 'node:os'
import { concatBytes, fromHex, toHex } from '../sdk/src/core/bytes.js'
import type { Blake2b256 } from '../sdk/src/core/crypto/blake2b256.js'
import { MemoryLedger } from '../sdk/src/core/ledger/MemoryLedger.js'
import { StateTree } from '../sdk/src/core/merkle/StateTree.js'
import { leafHash } from '../sdk/src/core/state/leafHash.js'
import type { LeafFields } from '../sdk/src/core/state/leafBytes.js'
import { BLUEPRINT, buildExodusWithdrawTx, buildFreezeTx, buildRefundTx, buildWithdrawTx, sequentialExits } from '../sdk/src/l1/index.js'
import { context, keyTask, tx as l2tx, user } from '../sdk/test/support/world.js'
import { depositsPerCommit } from './measure/depositsPerCommit.js'
import { ADA, commit, deposit, env, log, newInstance, submit, TIMEOUT, type Env, type Instance, type Measured } from './measure/lib.js'

/** `--quick`: only the per-transition rows and whether 20 exits fit (for tuning; not for the docs). */
const QUICK = process.argv.includes('--quick')
/** `--deposits`: only the deposits-per-commit table. */
const DEPOSITS = process.argv.includes('--deposits')

/** A synthetic layer-2 state: `n` accounts, each with a balance and a pending exit. */
class SyntheticState {
  readonly leaves: LeafFields[] = []
  readonly tree: StateTree
  constructor(readonly hash: Blake2b256, n: number) {
    const hashes = new Uint8Array(32 * n)
    const zero = new Uint8Array(32)
    for (let i = 0; i < n; i++) {
      const account = hash(new Uint8Array([i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, (i >> 24) & 0xff])).subarray(0, 28)
      const leaf: LeafFields = { account, balance: 10n * ADA, pendingExit: 2n * ADA, nonce: BigInt(i % 7), recordsRoot: zero }
      this.leaves.push(leaf)
      hashes.set(leafHash(hash, leaf), 32 * i)
    }
    this.tree = StateTree.fromLeaves(hash, hashes)
  }
  root(): string {
    return toHex(this.tree.root())
  }
  /** The exits of `indices` (proved in turn), then applies them to the state. */
  exits(indices: number[], exodus: boolean) {
    const items = indices.map((index) => ({ index, leaf: this.leaves[index]! }))
    const r = sequentialExits(this.hash, this.tree, items, exodus)
    return {
      ...r,
      apply: () => {
        for (const i of indices) {
          const l = this.leaves[i]!
          this.leaves[i] = { ...l, pendingExit: 0n, balance: exodus ? 0n : l.balance }
          this.tree.setLeaf(i, leafHash(this.hash, this.leaves[i]!))
        }
      },
    }
  }
}

/** Spread-out account indices that have not exited yet. */
function pick(n: number, count: number, used: Set<number>): number[] {
  const out: number[] = []
  let i = 7
  while (out.length < count) {
    i = (i * 1_103_515_245 + 12_345) % n
    if (!used.has(i)) {
      used.add(i)
      out.push(i)
    }
  }
  return out
}

async function withdraw(e: Env, inst: Instance, st: SyntheticState, indices: number[], exodus = false): Promise<Measured> {
  const x = st.exits(indices, exodus)
  const p = { anchor: await inst.anchor(), exits: x.exits, newRoot: x.root, refs: inst.refs }
  const m = await submit(e, exodus ? buildExodusWithdrawTx(e.lucid, inst.scripts, p).tx : buildWithdrawTx(e.lucid, inst.scripts, p).tx)
  x.apply()
  return m
}

/** Whether a withdraw tx with these exits completes (ex-units) and is within maxTxSize; no submit. */
async function fits(e: Env, inst: Instance, st: SyntheticState, indices: number[]): Promise<{ ok: boolean; why?: string; size?: number; mem?: bigint; cpu?: bigint }> {
  const x = st.exits(indices, false)
  try {
    const done = await buildWithdrawTx(e.lucid, inst.scripts, { anchor: await inst.anchor(), exits: x.exits, newRoot: x.root, refs: inst.refs }).tx.complete()
    const signed = await done.sign.withWallet().complete()
    const size = signed.toCBOR().length / 2
    const rs = signed.toTransaction().witness_set().redeemers()!.as_arr_legacy_redeemer()!
    const mem = rs.get(0).ex_units().mem()
    const cpu = rs.get(0).ex_units().steps()
    if (size > 16_384) return { ok: false, why: `size ${size} B > 16,384 B`, size, mem, cpu }
    return { ok: true, size, mem, cpu }
  } catch (err) {
    return { ok: false, why: String(err instanceof Error ? err.message : err).slice(0, 160) }
  }
}

// ---------------------------------------------------------------------------------------------
const n = (x: bigint | number) => Number(x).toLocaleString('en-US')
const ada = (x: bigint) => (Number(x) / 1e6).toFixed(3)
const mcpu = (x: bigint) => (Number(x) / 1e6).toFixed(1) + 'M'
const scriptBytes = (code: string) => code.length / 2 - 3 // compiledCode is one CBOR byte-string wrap

/** The marginal cost of a deposit between two measured commits. */
const perDeposit = (a: { count: number; m: Measured }, b: { count: number; m: Measured }) =>
  `${n((b.m.mem - a.m.mem) / BigInt(b.count - a.count))} mem / ${mcpu((b.m.cpu - a.m.cpu) / BigInt(b.count - a.count))} CPU / ${((b.m.size - a.m.size) / (b.count - a.count)).toFixed(1)} B`

/** The deposits-per-commit table (Markdown lines). */
async function depositsTable(e: Env): Promise<string[]> {
  const { rows, max, why } = await depositsPerCommit(e)
  return [
    '| deposits | ex-units, total (mem / CPU) | anchor | each deposit | fee paid (ADA) | ledger min fee (ADA) | size |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(({ count, m }) => {
      const anchor = m.units.reduce((a, u) => (u.mem > a.mem ? u : a))
      const dep = m.units.find((u) => u !== anchor)
      return `| ${count} | ${n(m.mem)} / ${mcpu(m.cpu)} | ${n(anchor.mem)} / ${mcpu(anchor.cpu)} | ${dep ? `${n(dep.mem)} / ${mcpu(dep.cpu)}` : ''} | ${ada(m.fee)} | ${ada(m.minFee)} | ${n(m.size)} B |`
    }),
    '',
    `Each deposit more adds ${perDeposit(rows[1]!, rows[2]!)} from ${rows[1]!.count} to ${rows[2]!.count} deposits and ${perDeposit(rows.at(-2)!, rows.at(-1)!)} from ${rows.at(-2)!.count} to ${rows.at(-1)!.count}: linear (each deposit's script is the same 18,875 mem; the anchor's part per deposit moves only with where its own input sits among the inputs). ` +
      `Most deposits in one commit: **${max}**; one more: ${why.replace(/\|/g, '/')}.`,
  ]
}

async function main(): Promise<void> {
  const e = await env()
  if (DEPOSITS) {
    console.log((await depositsTable(e)).join('\n'))
    return
  }
  const rows: string[] = []
  const row = (what: string, m: Measured, note = '') =>
    rows.push(`| ${what} | ${n(m.mem)} / ${mcpu(m.cpu)} | ${m.units.length === 0 ? 'no script' : m.units.length > 1 ? m.units.map((u) => `${n(u.mem)} / ${mcpu(u.cpu)}`).join('; ') : ''} | ${ada(m.fee)} | ${ada(m.minFee)} | ${n(m.size)} B | ${note} |`)

  log('building the 1,000,000-account tree…')
  const t0 = Date.now()
  const big = new SyntheticState(e.hash, 1_000_000)
  const treeMs = Date.now() - t0
  log(`  ${treeMs} ms`)

  // --- Main instance: the transitions, at 1,000,000 accounts. ---
  const inst = await newInstance(e)
  row('init (mint the state token)', inst.init, 'scripts attached (minting policy)')
  const owner = 'ab'.repeat(28)
  const later = BigInt(e.devnet.now() + 3_600_000)
  const d1 = await deposit(e, inst.scripts, [3_000n * ADA], owner, later)
  row('deposit', d1.first)
  const d10 = await deposit(e, inst.scripts, Array.from({ length: 10 }, (_, i) => BigInt(5 + i) * ADA), owner, later)
  row('commit, 0 deposits', await commit(e, inst, big.root(), []), 'anchor only')
  row('commit, 1 deposit', await commit(e, inst, big.root(), d1.utxos), 'anchor; deposit')
  row('commit, 10 deposits', await commit(e, inst, big.root(), d10.utxos), 'anchor; each deposit')
  if (QUICK) {
    const used = new Set<number>()
    row('withdraw, 1 exit (1M accounts)', await withdraw(e, inst, big, pick(1_000_000, 1, used)))
    const f20 = await fits(e, inst, big, pick(1_000_000, 20, used))
    console.log(rows.join('\n'))
    console.log(`20 exits: ${JSON.stringify(f20, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`)
    return
  }

  const used = new Set<number>()
  const byExits: string[] = []
  const exitRow = (k: number, m: Measured) =>
    byExits.push(`| ${k} | ${n(m.mem)} / ${mcpu(m.cpu)} | ${n(m.mem / BigInt(k))} / ${mcpu(m.cpu / BigInt(k))} | ${ada(m.fee)} | ${ada(m.minFee)} | ${n(m.size)} B |`)
  const w1 = await withdraw(e, inst, big, pick(1_000_000, 1, used))
  row('withdraw, 1 exit (1M accounts)', w1)
  exitRow(1, w1)
  for (const k of [5, 10]) exitRow(k, await withdraw(e, inst, big, pick(1_000_000, k, used)))
  // 20 and the most that fit.
  let max = 0
  let why = ''
  for (let k = 2; k <= 40; k++) {
    const f = await fits(e, inst, big, pick(1_000_000, k, new Set(used)))
    if (!f.ok) {
      why = f.why ?? ''
      break
    }
    max = k
  }
  log(`max exits per tx: ${max} (${why})`)
  if (max >= 20) exitRow(20, await withdraw(e, inst, big, pick(1_000_000, 20, used)))
  if (max > 0 && max !== 20) exitRow(max, await withdraw(e, inst, big, pick(1_000_000, max, used)))

  // Refund (owner = the operator's key, so the wallet signs) and freeze, after the timeout.
  const ownRefund = await deposit(e, inst.scripts, [5n * ADA], e.operatorKeyHash, BigInt(e.devnet.now() + 60_000))
  e.devnet.awaitSlot(Number(TIMEOUT / 1000n) + 40)
  row('refund', await submit(e, buildRefundTx(e.lucid, inst.scripts, ownRefund.utxos, e.devnet.now(), inst.refs)))
  row('freeze', await submit(e, buildFreezeTx(e.lucid, inst.scripts, await inst.anchor(), e.devnet.now(), inst.refs).tx))
  row('exodus withdraw, 1 exit (1M accounts)', await withdraw(e, inst, big, pick(1_000_000, 1, used), true))

  // --- Withdrawal cost against tree size: a 3-account MemoryLedger state, 1,000 accounts, 1M. ---
  const bySize: string[] = []
  const sizeRow = (what: string, depth: number, m: Measured) => bySize.push(`| ${what} | ${depth} | ${n(m.mem)} / ${mcpu(m.cpu)} | ${ada(m.fee)} | ${ada(m.minFee)} | ${n(m.size)} B |`)
  {
    // The core's MemoryLedger: 3 registered users, deposits credited, one withdrawal request.
    const ledger = new MemoryLedger(context(e.hash))
    const users = [1, 2, 3].map(user)
    for (const u of users) if (!ledger.submit(keyTask(u)).ok) throw new Error('register')
    const i2 = await newInstance(e)
    const deps = await deposit(e, i2.scripts, [20n * ADA, 30n * ADA, 15n * ADA], '00'.repeat(28), later)
    deps.utxos.forEach((d, i) => {
      const r = ledger.submit({ kind: 'deposit', txHash: fromHex(d.txHash), index: d.outputIndex, owner: users[i]!.account, amount: d.assets.lovelace! })
      if (!r.ok) throw new Error('deposit')
    })
    const u0 = users[0]!
    const r = ledger.submit({ kind: 'tx', tx: l2tx(u0, ledger.state.getAccount(u0.account)!.nonce, [{ type: 'withdraw', amount: 5n * ADA }]) })
    if (!r.ok) throw new Error(JSON.stringify(r.rejection))
    await commit(e, i2, toHex(ledger.state.root()), deps.utxos)
    const accs = ledger.state.allAccounts()
    const leaves = accs.map((a) => ({ index: a.index, leaf: ledger.state.leafFields(a) }))
    const tree = StateTree.fromLeaves(e.hash, concatBytes(...leaves.map((l) => leafHash(e.hash, l.leaf))))
    const x = sequentialExits(e.hash, tree, leaves.filter((l) => l.leaf.pendingExit > 0n), false)
    const m = await submit(e, buildWithdrawTx(e.lucid, i2.scripts, { anchor: await i2.anchor(), exits: x.exits, newRoot: x.root, refs: i2.refs }).tx)
    sizeRow('3 (MemoryLedger)', 2, m)
  }
  {
    const small = new SyntheticState(e.hash, 1_000)
    const i3 = await newInstance(e)
    const deps = await deposit(e, i3.scripts, [100n * ADA], owner, later)
    await commit(e, i3, small.root(), deps.utxos)
    sizeRow('1,000', 10, await withdraw(e, i3, small, [617]))
  }
  sizeRow('1,000,000', 20, w1)

  const sizes = BLUEPRINT.validators.map((v) => `| \`${v.title}\` | ${n(scriptBytes(v.compiledCode))} B |`)
  const out = [
    `Generated by \`npm run figures:onchain\` (onchain/measure.ts) on ${new Date().toISOString().slice(0, 10)}, ` +
      `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB. ` +
      `Strict devnet with Lucid's default (mainnet-like) protocol parameters: fee = 44 × size + 155,381 + 0.0577 × mem + 0.0000721 × CPU ` +
      `+ 15 lovelace per reference-script byte ("ledger min fee", computed here from the tx); "fee paid" is what the tx pays: Lucid Evolution's complete() ` +
      `counts reference-script bytes twice, and the SDK's builders give that back to the change (sdk/src/l1/exactFee.ts); per-tx limits 16,384 B, 14,000,000 mem, 10,000M CPU. Release blueprint; ` +
      `anchor and deposit validators read from reference-script UTxOs (their size is in the fee, not in the tx); the anchor's also holds the empty hashes ` +
      `(EMPTY_HASHES_DATUM), which withdraws read instead of carrying them. ` +
      `Building the 1,000,000-account tree (StateTree.fromLeaves) took ${n(treeMs)} ms.`,
    '',
    '**Script sizes** (unapplied, flat-encoded; parameters add a few bytes)',
    '',
    '| script | size |',
    '| --- | --- |',
    ...sizes,
    '',
    '**Per transition** (state tree of 1,000,000 accounts, proofs of 20 siblings)',
    '',
    '| tx | ex-units, total (mem / CPU) | per redeemer | fee paid (ADA) | ledger min fee (ADA) | size | note |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '**Withdrawal (1 exit) against tree size**',
    '',
    '| accounts | siblings in the proof | ex-units (mem / CPU) | fee paid (ADA) | ledger min fee (ADA) | size |',
    '| --- | --- | --- | --- | --- | --- |',
    ...bySize,
    '',
    '**Exits per withdraw tx** (1,000,000 accounts)',
    '',
    '| exits | ex-units (mem / CPU) | per exit | fee paid (ADA) | ledger min fee (ADA) | size |',
    '| --- | --- | --- | --- | --- | --- |',
    ...byExits,
    '',
    `Most exits in one tx at 1,000,000 accounts: **${max}**; one more fails: ${why.replace(/\|/g, '/')}.`,
    '',
    '**Deposits per commit** (release scripts from reference UTxOs, 2 ADA deposits)',
    '',
    ...(await depositsTable(e)),
  ]
  console.log(out.join('\n'))
}

await main()
process.exit(0)
