import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { toHex } from '../../sdk/src/core/bytes.js'
import { loadBlake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import type { AccountState } from '../../sdk/src/core/state/types.js'
import { l1Hash, PARAMS, tx, user } from '../../sdk/test/support/world.js'
import { Metrics } from '../src/metrics/Metrics.js'
import { openNode } from '../src/node/openNode.js'
import { Sequencer } from '../src/queue/Sequencer.js'
import { AccountTable } from '../src/storage/AccountTable.js'
import { openDatabase } from '../src/storage/openDatabase.js'
import { SqliteState } from '../src/storage/SqliteState.js'
import { TaskLog } from '../src/storage/TaskLog.js'
import { client } from './support/client.js'
import { startTestNode, tempDb, testConfig } from './support/harness.js'

const id = (n: number, pattern = false): Uint8Array => {
  const b = new Uint8Array(28)
  if (pattern) b.fill(n & 0xff)
  new DataView(b.buffer).setUint32(pattern ? 24 : 0, n)
  return b
}
const account = (i: number, over: Partial<AccountState> = {}): AccountState => ({
  id: id(i),
  index: i,
  l2Key: null,
  keyEpoch: 0,
  balance: BigInt(i) * 1000n,
  pendingExit: 0n,
  nonce: 0,
  recordCount: 0,
  ...over,
})

describe('AccountTable', () => {
  it('finds, reads and updates accounts as a Map of AccountState would, across growth', () => {
    const t = new AccountTable(16)
    const ref = new Map<string, AccountState>()
    for (let i = 0; i < 5000; i++) {
      const a = account(i, i % 7 === 0 ? { l2Key: new Uint8Array(32).fill(i & 0xff), keyEpoch: 1 } : {})
      t.put(a)
      ref.set(toHex(a.id), a)
    }
    for (let i = 0; i < 5000; i += 3) {
      const a = { ...ref.get(toHex(id(i)))!, balance: 7n + BigInt(i), nonce: i * 2, pendingExit: 5n, recordCount: 3 }
      t.put(a)
      ref.set(toHex(a.id), a)
    }
    expect(t.size).toBe(5000)
    for (const a of ref.values()) expect(t.get(t.find(a.id))).toEqual(a)
    expect(t.find(id(5000))).toBe(-1)
    expect(t.find(new Uint8Array(27))).toBe(-1)
    expect(t.get(5000)).toBeUndefined()
  })

  it('keeps amounts above 2^64 and patterned ids exact', () => {
    const t = new AccountTable()
    const huge = (1n << 70n) + 3n
    for (let i = 0; i < 300; i++) t.put({ ...account(i), id: id(i, true), balance: i === 5 ? huge : 1n, pendingExit: i === 6 ? huge : 0n })
    expect(t.get(t.find(id(5, true)))!.balance).toBe(huge)
    expect(t.get(t.find(id(6, true)))!.pendingExit).toBe(huge)
    t.put({ ...t.get(5)!, balance: 2n })
    expect(t.get(5)!.balance).toBe(2n)
    for (let i = 0; i < 300; i++) expect(t.find(id(i, true))).toBe(i)
  })

  it('refuses a new account out of order, a duplicate id and an index that belongs to another id', () => {
    const t = new AccountTable()
    t.put(account(0))
    expect(() => t.put(account(2))).toThrow(RangeError)
    expect(() => t.put({ ...account(1), id: id(0) })).toThrow(RangeError)
    expect(() => t.put({ ...account(0), id: id(9) })).toThrow(RangeError)
    expect(() => t.put({ ...account(1), id: new Uint8Array(32) })).toThrow(RangeError)
  })

  it('returns copies: a kept AccountState does not change with later writes', () => {
    const t = new AccountTable()
    t.put(account(0, { l2Key: new Uint8Array(32).fill(1) }))
    const a = t.get(0)!
    t.put({ ...a, balance: 99n, l2Key: new Uint8Array(32).fill(2) })
    expect(a.balance).toBe(0n)
    expect(a.l2Key).toEqual(new Uint8Array(32).fill(1))
  })
})

async function sequencerWithSync() {
  const hash = await loadBlake2b256()
  const db = openDatabase(tempDb(), 'normal')
  const log = new TaskLog(db)
  const state = SqliteState.load(db, hash, 0)
  const gates: { open: () => void; fail: (e: Error) => void }[] = []
  const sync = () => new Promise<void>((open, fail) => gates.push({ open, fail }))
  const metrics = new Metrics()
  const seq = new Sequencer(db, state, log, { params: PARAMS, hash }, metrics, { sync })
  const deposit = (i: number) => ({ kind: 'deposit' as const, txHash: l1Hash(i), index: 0, owner: user(1).account, amount: 5_000_000n })
  return { db, seq, gates, deposit, hash, metrics }
}

describe('pipelined group commit', () => {
  it('answers only after the sync, serves no receipt or log entry before it, and applies the next group meanwhile', async () => {
    const { db, seq, gates, deposit, hash } = await sequencerWithSync()
    let answered = 0
    const first = seq.submitTask(deposit(1)).then((r) => (answered++, r))
    await new Promise((r) => setTimeout(r, 20))
    expect(seq.tip.seq).toBe(1) // committed…
    expect(answered).toBe(0) // …but not answered
    expect(seq.durableSeq).toBe(0)
    const id1 = hash(new TaskLog(db).range(1, 1)[0]!.bytes)
    expect(seq.receipt(id1)).toBeUndefined()
    expect(gates).toHaveLength(1)

    const second = seq.submitTask(deposit(2)).then((r) => (answered++, r))
    await new Promise((r) => setTimeout(r, 20))
    expect(seq.tip.seq).toBe(2) // applied while the first sync runs
    expect(gates).toHaveLength(1) // one sync at a time
    // A resubmission while in flight gets the same pending answer, nothing is applied twice.
    const again = seq.submitTask(deposit(1))

    gates[0]!.open()
    const r1 = await first
    expect(r1.seq).toBe(1)
    expect(await again).toEqual(r1)
    expect(seq.durableSeq).toBe(1)
    expect(seq.receipt(id1)).toEqual(r1)
    expect(answered).toBe(1)
    await new Promise((r) => setTimeout(r, 5))
    expect(gates).toHaveLength(2) // the second group's sync started once the first was done
    gates[1]!.open()
    expect((await second).seq).toBe(2)
    await seq.idle()
    expect(seq.durableSeq).toBe(2)
    db.close()
  })

  it('fails the tasks of a failed sync with INTERNAL and pauses ingress', async () => {
    const { db, seq, gates, deposit, metrics } = await sequencerWithSync()
    const p = seq.submitTask(deposit(1))
    await new Promise((r) => setTimeout(r, 20))
    gates[0]!.fail(new Error('EIO'))
    await expect(p).rejects.toMatchObject({ code: 'INTERNAL' })
    expect(seq.paused).toBe(true)
    expect(metrics.get('lagoon_sync_failures_total')).toBe(1)
    db.close()
  })

  it('with durability full, answers after fdatasync of the WAL and survives a reopen', async () => {
    const db = tempDb()
    const t = await startTestNode(db, { durability: 'full' })
    const w = client(t.url, t.tokens.wallet)
    const u = user(3)
    const receipts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(100 + i), index: 0, owner: u.account, amount: 1_000_000n })),
    )
    expect(receipts.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    expect(t.node.metrics.get('lagoon_syncs_total')).toBeGreaterThan(0)
    expect((await w.get(`/receipts/${receipts[49]!.txId}`)).json).toEqual(receipts[49])
    const state = (await w.get('/state')).json
    await t.stop()
    const node = await openNode(testConfig(db, { durability: 'full', verifyWorkers: 0 }))
    expect(node.sequencer.tip.seq).toBe(50)
    expect(toHex(node.sequencer.state.root())).toBe(state.root)
    await node.close()
  })

  it('still returns the original receipt for an applied tx resubmitted over HTTP (looked up for stale nonces only)', async () => {
    const t = await startTestNode(tempDb(), { durability: 'full' })
    const w = client(t.url, t.tokens.wallet)
    const u = user(4)
    const { keyTask } = await import('../../sdk/test/support/world.js')
    await t.node.sequencer.submitTask(keyTask(u))
    await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(7), index: 0, owner: u.account, amount: 10_000_000n })
    const t0 = tx(u, 0, [{ type: 'transfer', to: u.account, amount: 1n }])
    const first = await w.postCbor('/tx', t0.bytes)
    expect(first.status).toBe(200)
    const again = await w.postCbor('/tx', t0.bytes)
    expect(again).toEqual(first)
    const stale = await w.postCbor('/tx', tx(u, 0, [{ type: 'transfer', to: u.account, amount: 2n }]).bytes)
    expect(stale.status).toBe(409)
    expect(stale.json.code).toBe('BAD_NONCE')
    await t.stop()
  })
})

describe('body reading from the Node request', () => {
  const chunked = (url: string, path: string, token: string, chunks: Uint8Array[]) =>
    new Promise<{ status: number; json: any }>((resolve, reject) => {
      const { hostname, port } = new URL(url)
      const req = request({ hostname, port, path, method: 'POST', headers: { 'content-type': 'application/cbor', authorization: `Bearer ${token}` } }, (res) => {
        const parts: Buffer[] = []
        res.on('data', (d: Buffer) => parts.push(d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(parts).toString('utf8')) }))
      })
      req.on('error', reject)
      for (const c of chunks) req.write(c)
      req.end()
    })

  it('reads a chunked body, and refuses a chunked body over the limit with BODY_TOO_LARGE', async () => {
    const t = await startTestNode(tempDb())
    const u = user(6)
    const { keyTask } = await import('../../sdk/test/support/world.js')
    await t.node.sequencer.submitTask(keyTask(u))
    await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(9), index: 0, owner: u.account, amount: 10_000_000n })
    const bytes = tx(u, 0, [{ type: 'transfer', to: u.account, amount: 1n }]).bytes
    const ok = await chunked(t.url, '/tx', t.tokens.wallet, [bytes.subarray(0, 10), bytes.subarray(10)])
    expect(ok.status).toBe(200)
    expect(ok.json.seq).toBe(3)
    const big = await chunked(t.url, '/tx', t.tokens.wallet, [new Uint8Array(5000), new Uint8Array(5000)])
    expect(big.status).toBe(413)
    expect(big.json.code).toBe('BODY_TOO_LARGE')
    expect(t.node.sequencer.tip.seq).toBe(3)
    await t.stop()
  })
})

describe('the fast submit path', () => {
  it('answers as the Hono routes do (status, body, www-authenticate) for the same requests', async () => {
    const t = await startTestNode(tempDb())
    const u = user(8)
    const { keyTask } = await import('../../sdk/test/support/world.js')
    const { encodeCanonical } = await import('../../sdk/src/core/cbor/canonical.js')
    await t.node.sequencer.submitTask(keyTask(u))
    await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(11), index: 0, owner: u.account, amount: 10_000_000n })
    const cases: [string, Record<string, string>, Uint8Array][] = [
      ['/tx', {}, new Uint8Array([1])],
      ['/tx', { authorization: 'Bearer nope' }, new Uint8Array([1])],
      ['/tx', { authorization: `Bearer ${t.tokens.relay}` }, new Uint8Array([1])],
      ['/tx', { authorization: `Bearer ${t.tokens.wallet}`, 'content-type': 'text/plain' }, new Uint8Array([1])],
      ['/tx', { authorization: `Bearer ${t.tokens.wallet}`, 'content-type': 'application/cbor' }, new Uint8Array(9000)],
      ['/tx', { authorization: `Bearer ${t.tokens.wallet}`, 'content-type': 'application/cbor' }, new Uint8Array([0x82, 1])],
      ['/tx', { authorization: `Bearer ${t.tokens.wallet}`, 'content-type': 'application/cbor' }, tx(u, 5, [{ type: 'transfer', to: u.account, amount: 1n }]).bytes],
      ['/txs', { authorization: `Bearer ${t.tokens.wallet}`, 'content-type': 'application/cbor' }, encodeCanonical([1, 2])],
      ['/txs', { authorization: `Bearer ${t.tokens.wallet}`, 'content-type': 'application/cbor; charset=x' }, encodeCanonical([tx(u, 9, [{ type: 'transfer', to: u.account, amount: 1n }]).bytes])],
    ]
    for (const [path, headers, body] of cases) {
      const viaSocket = await fetch(t.url + path, { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer> })
      const viaHono = await t.node.app.request(path, { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer> })
      expect({ path, status: viaSocket.status, auth: viaSocket.headers.get('www-authenticate'), type: viaSocket.headers.get('content-type'), body: await viaSocket.json() }).toEqual({
        path,
        status: viaHono.status,
        auth: viaHono.headers.get('www-authenticate'),
        type: viaHono.headers.get('content-type'),
        body: await viaHono.json(),
      })
    }
    expect(t.node.sequencer.tip.seq).toBe(2)
    await t.stop()
  })
})
