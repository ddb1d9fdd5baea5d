/**
 * In-flight poisoning (issue 14, item 5): a copy of a valid transaction with a broken signature, sent
 * just before it, must not decide the valid one's fate. Same body, so the same tx id: the node's
 * in-flight dedupe (idempotent resubmits) must only join submissions whose signed bytes are the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toHex } from '../../sdk/src/core/bytes.js'
import { encodeCanonical } from '../../sdk/src/core/cbor/canonical.js'
import { loadBlake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import type { SignedTx } from '../../sdk/src/core/tx/types.js'
import { keyTask, l1Hash, PARAMS, tx, user } from '../../sdk/test/support/world.js'
import { Metrics } from '../src/metrics/Metrics.js'
import { Sequencer } from '../src/queue/Sequencer.js'
import { openDatabase } from '../src/storage/openDatabase.js'
import { SqliteState } from '../src/storage/SqliteState.js'
import { TaskLog } from '../src/storage/TaskLog.js'
import { client } from './support/client.js'
import { startTestNode, tempDb, type TestNode } from './support/harness.js'

/** The same signed bytes with one bit of the signature (the last 64 bytes) flipped: same body, same id. */
const brokenCopy = (t: SignedTx): Uint8Array => {
  const b = new Uint8Array(t.bytes)
  b[b.length - 1]! ^= 0x01
  return b
}

let t: TestNode
const u = user(21)
const v = user(22)
beforeAll(async () => {
  // Durability full: every receipt waits for an fdatasync, so a submission stays in flight for a while.
  t = await startTestNode(tempDb(), { durability: 'full' })
  for (const who of [u, v]) {
    await t.node.sequencer.submitTask(keyTask(who))
    await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(who === u ? 40 : 41), index: 0, owner: who.account, amount: 100_000_000n })
  }
})
afterAll(() => t?.stop())

describe('a broken copy of a valid transaction, in flight just before it', () => {
  it('in one POST /txs batch [bad copy, good]: the good one is applied, the bad one is BAD_SIGNATURE', async () => {
    const w = client(t.url, t.tokens.wallet)
    const good = tx(u, 0, [{ type: 'transfer', to: v.account, amount: 1_000_000n }])
    const before = t.node.sequencer.tip.seq
    const r = await w.postCbor('/txs', encodeCanonical([brokenCopy(good), good.bytes]))
    expect(r.status).toBe(200)
    expect(r.json.results[0]).toMatchObject({ error: { code: 'BAD_SIGNATURE' } })
    expect(r.json.results[1]).toEqual({ receipt: { txId: toHex(good.id), seq: before + 1, logHead: expect.stringMatching(/^[0-9a-f]{64}$/) } })
    expect(t.node.sequencer.tip.seq).toBe(before + 1)
    expect(t.node.sequencer.state.getAccount(u.account)!.nonce).toBe(1)
    // And the other way round, [good, bad copy]: the copy gets the receipt of the body it copies (as it
    // would once the body is applied), and nothing else is applied.
    const next = tx(u, 1, [{ type: 'transfer', to: v.account, amount: 1_000_000n }])
    const r2 = await w.postCbor('/txs', encodeCanonical([next.bytes, brokenCopy(next)]))
    expect(r2.json.results[0].receipt.seq).toBe(before + 2)
    expect(r2.json.results[1]).toEqual(r2.json.results[0])
    // A resubmission of the same signed bytes in the same batch joins the first: one entry, one receipt.
    const third = tx(u, 2, [{ type: 'transfer', to: v.account, amount: 1_000_000n }])
    const r3 = await w.postCbor('/txs', encodeCanonical([brokenCopy(third), third.bytes, brokenCopy(third), third.bytes]))
    expect(r3.json.results.map((x: { error?: { code: string } }) => x.error?.code ?? 'ok')).toEqual(['BAD_SIGNATURE', 'ok', 'BAD_SIGNATURE', 'ok'])
    expect(r3.json.results[3]).toEqual(r3.json.results[1])
    expect(t.node.sequencer.tip.seq).toBe(before + 3)
    const log = await w.get(`/receipts/${toHex(third.id)}`)
    expect(log.json).toEqual(r3.json.results[1].receipt)
  })

  it('in two concurrent POST /tx (the bad copy first): the good one is applied every time, both answered', async () => {
    const w = client(t.url, t.tokens.wallet)
    const start = t.node.sequencer.state.getAccount(v.account)!.nonce
    const rounds = 20
    let refused = 0
    for (let i = 0; i < rounds; i++) {
      const good = tx(v, start + i, [{ type: 'transfer', to: u.account, amount: 1_000n }])
      const before = t.node.sequencer.tip.seq
      const bad = w.postCbor('/tx', brokenCopy(good))
      const ok = w.postCbor('/tx', good.bytes)
      const [b, g] = await Promise.all([bad, ok])
      expect(g, `round ${i}`).toEqual({ status: 200, json: { txId: toHex(good.id), seq: before + 1, logHead: expect.any(String) } })
      // The bad copy is refused on its own merits, or (had it arrived second) gets the applied body's receipt.
      if (b.status === 200) expect(b.json).toEqual(g.json)
      else {
        expect(b, `round ${i}`).toEqual({ status: 400, json: expect.objectContaining({ code: 'BAD_SIGNATURE' }) })
        refused++
      }
      expect(t.node.sequencer.tip.seq).toBe(before + 1)
    }
    expect(t.node.sequencer.state.getAccount(v.account)!.nonce).toBe(start + rounds)
    // The race was run: the bad copy was first (and so in flight when the good one came) at least once.
    expect(refused).toBeGreaterThan(0)
  })

  it('a broken copy of an already applied body still gets that body’s receipt, and changes nothing', async () => {
    const w = client(t.url, t.tokens.wallet)
    const n = t.node.sequencer.state.getAccount(u.account)!.nonce
    const good = tx(u, n, [{ type: 'transfer', to: v.account, amount: 5n }])
    const g = await w.postCbor('/tx', good.bytes)
    const seq = t.node.sequencer.tip.seq
    expect(await w.postCbor('/tx', brokenCopy(good))).toEqual(g)
    expect(await w.postCbor('/tx', good.bytes)).toEqual(g)
    expect(t.node.sequencer.tip.seq).toBe(seq)
  })
})

describe('the copies of one body across group commits (a sequencer with a hand-opened sync)', () => {
  it('keeps the id in flight until the good copy is durable: no receipt, and a resubmit waits for it', async () => {
    const hash = await loadBlake2b256()
    const db = openDatabase(tempDb(), 'normal')
    const log = new TaskLog(db)
    const gates: (() => void)[] = []
    const seq = new Sequencer(db, SqliteState.load(db, hash, 0), log, { params: PARAMS, hash }, new Metrics(), {
      sync: () => new Promise<void>((open) => gates.push(open)),
    })
    const settle = () => new Promise((r) => setTimeout(r, 20))
    const a = user(31)
    const setup = [seq.submitTask(keyTask(a)), seq.submitTask({ kind: 'deposit', txHash: l1Hash(50), index: 0, owner: a.account, amount: 10_000_000n })]
    await settle()
    gates.shift()!()
    await Promise.all(setup)
    const good = tx(a, 0, [{ type: 'transfer', to: a.account, amount: 1n }])
    const bad = seq.submitTx(brokenCopy(good)).then(
      () => 'applied',
      (e: { code: string }) => e.code,
    )
    await settle() // the bad copy's group is committed (refused), waiting for its sync
    let answered = false
    const ok = seq.submitTx(good.bytes).then((r) => ((answered = true), r))
    await settle() // the good copy's group is committed behind it, applied
    expect(seq.tip.seq).toBe(3)
    gates.shift()!() // the first sync: the bad copy is answered; the good one is not durable yet
    expect(await bad).toBe('BAD_SIGNATURE')
    expect(answered).toBe(false)
    expect(seq.receipt(good.id)).toBeUndefined()
    let again = false
    const resubmit = seq.submitTx(good.bytes).then((r) => ((again = true), r))
    await settle()
    expect(again).toBe(false)
    gates.shift()!()
    const r = await ok
    expect(r.seq).toBe(3)
    expect(await resubmit).toEqual(r)
    expect(seq.receipt(good.id)).toEqual(r)
    await seq.idle()
    db.close()
  })
})
