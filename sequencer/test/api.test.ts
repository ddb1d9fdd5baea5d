import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeCanonical } from '../../sdk/src/core/cbor/canonical.js'
import { toHex } from '../../sdk/src/core/bytes.js'
import { keyTask, l1Hash, OPERATOR, tx, user, type User } from '../../sdk/test/support/world.js'
import { client, keyJson } from './support/client.js'
import { replayLog } from './support/replay.js'
import { startTestNode, type TestNode } from './support/harness.js'

const te = (s: string) => new TextEncoder().encode(s)

describe('sequencer HTTP API', () => {
  let t: TestNode
  let alice: User, bob: User, carol: User
  let w: ReturnType<typeof client>

  beforeAll(async () => {
    t = await startTestNode()
    w = client(t.url, t.tokens.wallet)
    ;[alice, bob, carol] = [user(1), user(2), user(3)]
  })
  afterAll(async () => {
    await t.stop()
  })

  async function deposit(u: User, n: number, amount: bigint) {
    return t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(n), index: 0, owner: u.account, amount })
  }
  async function tip() {
    return (await w.get('/state')).json as { seq: number; root: string; logHead: string }
  }

  it('registers accounts, credits deposits, applies transfers and returns receipts', async () => {
    for (const u of [alice, bob]) {
      const r = await w.postJson('/accounts/register', keyJson(keyTask(u)))
      expect(r.status).toBe(200)
      expect(r.json.seq).toBeGreaterThan(0)
    }
    await deposit(alice, 1, 50_000_000n)
    const t1 = tx(alice, 0, [{ type: 'transfer', to: bob.account, amount: 10_000_000n }], 1000n)
    const r = await w.postCbor('/tx', t1.bytes)
    expect(r.status).toBe(200)
    expect(r.json.txId).toBe(toHex(t1.id))
    const a = (await w.get(`/accounts/${toHex(alice.account)}`)).json
    expect(a).toMatchObject({ balance: String(50_000_000n - 10_000_000n - 1000n), nonce: 1, keyEpoch: 1, pendingExit: '0', index: 0 })
    expect((await w.get(`/accounts/${toHex(bob.account)}`)).json.balance).toBe('10000000')
    expect((await w.get(`/accounts/${toHex(OPERATOR.account)}`)).json.balance).toBe('1000')
    const rec = await w.get(`/receipts/${toHex(t1.id)}`)
    expect(rec.json).toEqual(r.json)
  })

  it('stores records and withdrawals', async () => {
    const t2 = tx(alice, 1, [
      { type: 'put', key: te('score'), value: te('42') },
      { type: 'put', key: te('name'), value: te('alice') },
      { type: 'withdraw', amount: 2_000_000n },
    ])
    expect((await w.postCbor('/tx', t2.bytes)).status).toBe(200)
    const recs = (await w.get(`/accounts/${toHex(alice.account)}/records`)).json
    expect(recs).toEqual([
      { key: toHex(te('name')), value: toHex(te('alice')) },
      { key: toHex(te('score')), value: toHex(te('42')) },
    ])
    const a = (await w.get(`/accounts/${toHex(alice.account)}`)).json
    expect(a.pendingExit).toBe('2000000')
    expect(a.recordCount).toBe(2)
  })

  it('returns the original receipt for a resubmitted tx and applies it once', async () => {
    const t3 = tx(bob, 0, [{ type: 'transfer', to: alice.account, amount: 1_000_000n }])
    const [r1, r2] = await Promise.all([w.postCbor('/tx', t3.bytes), w.postCbor('/tx', t3.bytes)]) // in flight together
    expect(r1.status).toBe(200)
    expect(r2.json).toEqual(r1.json)
    const r3 = await w.postCbor('/tx', t3.bytes) // after it is applied
    expect(r3.status).toBe(200)
    expect(r3.json).toEqual(r1.json)
    expect((await w.get(`/accounts/${toHex(bob.account)}`)).json.nonce).toBe(1)
    const again = await w.postJson('/accounts/register', keyJson(keyTask(bob)))
    expect(again.status).toBe(200) // the same registration bytes: the original receipt
  })

  it('takes a batch through POST /txs with one result per tx, in order', async () => {
    const txs = [0, 1, 2].map((i) => tx(bob, 1 + i, [{ type: 'transfer', to: alice.account, amount: 100_000n }]))
    const bad = tx(bob, 9, [{ type: 'transfer', to: alice.account, amount: 1n }])
    const body = encodeCanonical([...txs.map((x) => x.bytes), bad.bytes, new Uint8Array([0x82, 0x01])])
    const r = await w.postCbor('/txs', body)
    expect(r.status).toBe(200)
    expect(r.json.results).toHaveLength(5)
    const seqs = r.json.results.slice(0, 3).map((x: any) => x.receipt.seq)
    expect(seqs[1]).toBe(seqs[0] + 1)
    expect(seqs[2]).toBe(seqs[1] + 1)
    expect(r.json.results[3].error.code).toBe('BAD_NONCE')
    expect(r.json.results[4].error.code).toBe('MALFORMED_CBOR')
    expect((await w.postCbor('/txs', encodeCanonical([1, 2]))).json.code).toBe('BAD_REQUEST')
  })

  describe('refuses bad input with a 4xx code and stores nothing', () => {
    const cases: [string, () => Promise<{ status: number; json: any }>, number, string][] = [
      ['malformed CBOR', () => w.postCbor('/tx', new Uint8Array([0x82, 0x01])), 400, 'MALFORMED_CBOR'],
      ['non-canonical CBOR', () => w.postCbor('/tx', new Uint8Array([0x18, 0x01])), 400, 'NON_CANONICAL'],
      ['a bad signature', async () => {
        const x = tx(alice, 2, [{ type: 'transfer', to: bob.account, amount: 1n }])
        const b = x.bytes.slice()
        b[b.length - 1]! ^= 1
        return w.postCbor('/tx', b)
      }, 400, 'BAD_SIGNATURE'],
      ['a signature by another key', () => w.postCbor('/tx', tx({ ...alice, l2Secret: carol.l2Secret }, 2, [{ type: 'transfer', to: bob.account, amount: 1n }]).bytes), 400, 'BAD_SIGNATURE'],
      ['a wrong instance id', async () => {
        const { buildSignedTx } = await import('../../sdk/src/core/tx/buildSignedTx.js')
        const { blake2b256Reference } = await import('../../sdk/src/core/crypto/blake2b256.js')
        const x = buildSignedTx({ instance: new Uint8Array(28).fill(9), signer: alice.account, nonce: 2, fee: 0n, actions: [{ type: 'transfer', to: bob.account, amount: 1n }] }, alice.l2Secret, blake2b256Reference)
        return w.postCbor('/tx', x.bytes)
      }, 400, 'WRONG_INSTANCE'],
      ['a nonce gap', () => w.postCbor('/tx', tx(alice, 7, [{ type: 'transfer', to: bob.account, amount: 1n }]).bytes), 409, 'BAD_NONCE'],
      ['a replayed old nonce', () => w.postCbor('/tx', tx(alice, 0, [{ type: 'transfer', to: bob.account, amount: 5n }]).bytes), 409, 'BAD_NONCE'],
      ['an unknown signer', () => w.postCbor('/tx', tx(carol, 0, [{ type: 'transfer', to: bob.account, amount: 1n }]).bytes), 422, 'UNKNOWN_ACCOUNT'],
      ['an unknown recipient', () => w.postCbor('/tx', tx(alice, 2, [{ type: 'transfer', to: carol.account, amount: 1n }]).bytes), 422, 'UNKNOWN_RECIPIENT'],
      ['an overdraft', () => w.postCbor('/tx', tx(alice, 2, [{ type: 'transfer', to: bob.account, amount: 10n ** 15n }]).bytes), 422, 'INSUFFICIENT_BALANCE'],
      ['an oversize body', () => w.postCbor('/tx', new Uint8Array(9000)), 413, 'BODY_TOO_LARGE'],
      ['an oversize batch', () => w.postCbor('/txs', new Uint8Array(5 * 1024 * 1024)), 413, 'BODY_TOO_LARGE'],
      ['a wrong content type', () => w.postCbor('/tx', new Uint8Array([0x80]), 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['a register body that is not JSON', () => w.postJson('/accounts/register', '{nope'), 400, 'BAD_REQUEST'],
      ['a register body off the schema', () => w.postJson('/accounts/register', { account: 'zz', signature: '00', key: '00', extra: 1 }), 400, 'BAD_REQUEST'],
      ['a forged registration', () => w.postJson('/accounts/register', { ...keyJson(keyTask(carol)), account: toHex(alice.account) }), 400, 'BAD_AUTHORIZATION'],
      ['a second registration', () => w.postJson('/accounts/register', keyJson(keyTask(alice, { l2Key: carol.l2Key }))), 409, 'ALREADY_REGISTERED'],
      ['a stale rotation', () => w.postJson('/accounts/rotate', keyJson(keyTask(alice, { kind: 'rotate', epoch: 0, l2Key: carol.l2Key }))), 409, 'STALE_AUTHORIZATION'],
      ['a bad path parameter', () => w.get('/accounts/xyz'), 400, 'BAD_REQUEST'],
      ['a bad query', () => w.get('/log?from=-1'), 400, 'BAD_REQUEST'],
      ['an unknown route', () => w.get('/nope'), 404, 'NOT_FOUND'],
      ['an unknown account', () => w.get(`/accounts/${toHex(carol.account)}`), 404, 'NOT_FOUND'],
    ]
    for (const [name, send, status, code] of cases) {
      it(name, async () => {
        const before = await tip()
        const r = await send()
        expect({ status: r.status, code: r.json?.code }).toEqual({ status, code })
        expect(typeof r.json.message).toBe('string')
        expect(await tip()).toEqual(before)
      })
    }
  })

  it('counts applied tasks and rejections in /metrics', async () => {
    const m = await fetch(`${t.url}/metrics`).then((r) => r.text())
    expect(m).toMatch(/lagoon_tasks_applied_total\{kind="tx"\} \d+/)
    expect(m).toMatch(/lagoon_rejections_total\{code="BAD_NONCE"\} \d+/)
    expect(m).toMatch(/lagoon_queue_depth 0/)
    // Where a task's time went, as Prometheus histograms: cumulative buckets ending at +Inf = count.
    for (const stage of ['verify', 'apply', 'sync', 'total']) {
      const count = Number(new RegExp(`lagoon_submit_stage_seconds_count\\{stage="${stage}"\\} (\\d+)`).exec(m)?.[1])
      const inf = Number(new RegExp(`lagoon_submit_stage_seconds_bucket\\{stage="${stage}",le="\\+Inf"\\} (\\d+)`).exec(m)?.[1])
      expect(count).toBeGreaterThan(0)
      expect(inf).toBe(count)
    }
    expect(m).toContain('# TYPE lagoon_submit_stage_seconds histogram')
  })

  it('serves an OpenAPI document generated from the route table', async () => {
    const doc = (await w.get('/openapi.json')).json
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/tx', '/txs', '/accounts/register', '/accounts/{id}', '/log', '/admin/pause', '/instance', '/accounts/{id}/withdrawals', '/stream', '/log/stream', '/openapi.json']),
    )
    expect(doc.paths['/tx'].post.responses['401'].description).toContain('UNAUTHORIZED')
    expect(doc.paths['/tx'].post.responses['409'].description).toContain('BAD_NONCE')
    expect(doc.paths['/tx'].post.security).toEqual([{ bearer: ['wallet'] }])
    expect(doc.paths['/accounts/register'].post.requestBody.content['application/json'].schema.required).toEqual(['account', 'signature', 'key'])
  })

  it('keeps docs/api.md generated from the route table (npm run docs:api)', async () => {
    const { buildApiDocs } = await import('../../scripts/gen-api-docs.js')
    const onDisk = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8')
    expect(onDisk === buildApiDocs(), 'docs/api.md is stale: run npm run docs:api').toBe(true)
    for (const path of ['/stream', '/log/stream', '/instance', '/accounts/:id/withdrawals', '/admin/batch']) expect(onDisk).toContain(`\`${path}\``)
  })

  it('serves a log that replays to the same root and head', async () => {
    const s = await tip()
    const replay = await replayLog(t.url, 3)
    expect(replay.seq).toBe(s.seq)
    expect(replay.head).toBe(s.logHead)
    expect(replay.root).toBe(s.root)
  })
})
