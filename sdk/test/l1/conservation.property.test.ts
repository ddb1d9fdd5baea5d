/**
 * Property: with an honest root, random sequences of deposits, layer-2 transfers and withdrawal
 * requests, commits and exits keep
 *
 *   ADA in the anchor − genesis ADA + unabsorbed deposits == Σ layer-2 (balance + pending exit)
 *
 * after every step. The roots and proofs come from the protocol core (`MemoryLedger`, the state tree),
 * the txs from the builders, and every tx runs its scripts on the strict devnet (debug build).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { UTxO } from '@lucid-evolution/lucid'
import { concatBytes, fromHex, toHex } from '../../src/core/bytes.js'
import { StateTree } from '../../src/core/merkle/StateTree.js'
import { leafHash } from '../../src/core/state/leafHash.js'
import type { LeafFields } from '../../src/core/state/leafBytes.js'
import { anchorDatumFromData, buildCommitTx, buildDepositTx, buildInitTx, buildWithdrawTx, depositDatumFromData, sequentialExits, type LagoonScripts } from '../../src/l1/index.js'
import { tx as l2tx } from '../support/world.js'
import { ADA, hash, registerAll, submit, treeOf, utxoAt, world, type World } from './helpers.js'

const GENESIS = 2_000_000n
const USERS = 3

type Op =
  | { kind: 'deposit'; user: number; ada: number }
  | { kind: 'transfer'; from: number; to: number; percent: number }
  | { kind: 'exit'; user: number; percent: number }
  | { kind: 'commit' }
  | { kind: 'withdraw' }

const user = fc.integer({ min: 0, max: USERS - 1 })
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('deposit' as const), user, ada: fc.integer({ min: 2, max: 40 }) }), weight: 3 },
  // `from` / `user` pick among the accounts that hold a balance; `percent` of that balance moves.
  { arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: user, to: user, percent: fc.integer({ min: 1, max: 100 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('exit' as const), user, percent: fc.integer({ min: 1, max: 100 }) }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'commit' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'withdraw' as const }), weight: 2 },
)

/** One run: a fresh instance, then `ops` (and a final commit + withdraw), checking the invariant after each step. */
async function run(ops: Op[]): Promise<{ txs: number; exitsPaid: number }> {
  const w: World = await world(USERS)
  const [seed] = await w.lucid.wallet().getUtxos()
  const init = buildInitTx(w.lucid, { seed: seed!, operator: w.operatorKeyHash, exodusTimeout: 86_400_000n, now: w.devnet.now(), debug: true })
  const scripts: LagoonScripts = init.scripts
  await submit(w, init.tx)
  let txs = 1
  let exitsPaid = 0
  registerAll(w)
  const anchor = async (): Promise<UTxO> => (await utxoAt(w, scripts.anchorAddress)).find((u) => u.assets[scripts.unit] === 1n)!
  // The tree of the last posted root, as the exits leave it (the validator zeroes each paid exit).
  let posted: { tree: StateTree; leaves: { index: number; leaf: LeafFields }[] } | undefined

  const check = async (after: string) => {
    const a = await anchor()
    const unabsorbed = (await utxoAt(w, scripts.depositAddress)).reduce((s, u) => s + u.assets.lovelace!, 0n)
    const l2 = w.ledger.state.allAccounts().reduce((s, acc) => s + acc.balance + acc.pendingExit, 0n)
    expect(a.assets.lovelace! - GENESIS + unabsorbed, `after ${after}`).toBe(l2)
    if (posted) expect(anchorDatumFromData(a.datum!).root, `after ${after}`).toBe(toHex(posted.tree.root()))
  }

  for (const o of [...ops, { kind: 'commit' } as Op, { kind: 'withdraw' } as Op]) {
    const funded = w.users.filter((x) => w.ledger.state.getAccount(x.account)!.balance > 0n)
    const u =
      o.kind === 'deposit' ? w.users[o.user]! : o.kind === 'exit' ? funded[o.user % Math.max(1, funded.length)] : o.kind === 'transfer' ? funded[o.from % Math.max(1, funded.length)] : undefined
    const acc = u && w.ledger.state.getAccount(u.account)!
    switch (o.kind) {
      case 'deposit': {
        w.lucid.selectWallet.fromPrivateKey(u!.walletKey)
        const h = await submit(w, buildDepositTx(w.lucid, scripts, { owner: toHex(u!.account), refundAfter: BigInt(w.devnet.now() + 86_400_000) }, BigInt(o.ada) * ADA))
        w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
        txs++
        const d = (await utxoAt(w, scripts.depositAddress)).find((x) => x.txHash === h)!
        // Credited at once (as after its confirmations): from now on it counts on both sides.
        expect(w.ledger.submit({ kind: 'deposit', txHash: fromHex(d.txHash), index: d.outputIndex, owner: fromHex(depositDatumFromData(d.datum!).owner), amount: d.assets.lovelace! }).ok).toBe(true)
        break
      }
      case 'transfer':
      case 'exit': {
        if (!acc) break
        const amount = ((acc.balance * BigInt(o.percent)) / 100n / ADA) * ADA // whole ADA (layer 2's minimum is 1 ADA)
        if (amount === 0n) break
        const action = o.kind === 'exit' ? { type: 'withdraw' as const, amount } : { type: 'transfer' as const, to: w.users[o.to]!.account, amount }
        const r = w.ledger.submit({ kind: 'tx', tx: l2tx(u!, acc!.nonce, [action]) })
        expect(r.ok, JSON.stringify(r)).toBe(true)
        break
      }
      case 'commit': {
        const deposits = await utxoAt(w, scripts.depositAddress)
        await submit(w, buildCommitTx(w.lucid, scripts, { anchor: await anchor(), deposits, root: toHex(w.ledger.state.root()), logHead: toHex(w.ledger.head), logSeq: BigInt(w.ledger.seq), now: w.devnet.now() }).tx)
        txs++
        posted = treeOf(w.ledger)
        break
      }
      case 'withdraw': {
        const items = posted?.leaves.filter((l) => l.leaf.pendingExit > 0n) ?? []
        if (items.length === 0) break
        const { exits, root } = sequentialExits(hash, posted!.tree, items, false)
        const h = await submit(w, buildWithdrawTx(w.lucid, scripts, { anchor: await anchor(), exits, newRoot: root }).tx)
        txs++
        exitsPaid += exits.length
        for (const e of exits) {
          const r = w.ledger.submit({ kind: 'exitPaid', account: e.leaf.account, amount: e.leaf.pendingExit, txHash: fromHex(h) })
          expect(r.ok, JSON.stringify(r)).toBe(true)
        }
        const leaves = posted!.leaves.map((l) => ({ ...l, leaf: { ...l.leaf, pendingExit: 0n } }))
        posted = { leaves, tree: StateTree.fromLeaves(hash, concatBytes(...leaves.map((l) => leafHash(hash, l.leaf)))) }
        expect(toHex(posted.tree.root())).toBe(root)
        break
      }
    }
    await check(JSON.stringify(o))
  }
  // Everything committed and every exit paid: the anchor holds exactly the layer-2 balances.
  expect(posted!.leaves.every((l) => l.leaf.pendingExit === 0n)).toBe(true)
  return { txs, exitsPaid }
}

describe('conservation (property, strict devnet)', () => {
  it('ADA in the anchor − genesis + unabsorbed deposits == Σ layer-2 balances + pending exits, after every step', async () => {
    let runs = 0
    let txs = 0
    let exitsPaid = 0
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 3, maxLength: 9 }), async (ops) => {
        const r = await run(ops)
        txs += r.txs
        exitsPaid += r.exitsPaid
        runs++
      }),
      { numRuns: 10, seed: Number(process.env.LAGOON_PROPERTY_SEED ?? 20240603), endOnFailure: true },
    )
    expect(runs).toBe(10)
    expect(txs).toBeGreaterThan(10 * 3)
    expect(exitsPaid).toBeGreaterThan(0) // the runs did pay exits, not only deposit and commit
  }, 600_000) // ten runs of up to nine txs each on the strict devnet: minutes on a shared machine
})
