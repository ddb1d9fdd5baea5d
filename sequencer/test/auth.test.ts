import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TOKEN_RECHECK_MS, TokenStore } from '../src/auth/TokenStore.js'
import { toHex } from '../../sdk/src/core/bytes.js'
import { keyTask, l1Hash, tx, user } from '../../sdk/test/support/world.js'
import { client, keyJson } from './support/client.js'
import { startTestNode, tempDb, type TestNode } from './support/harness.js'

describe('auth tokens', () => {
  let t: TestNode
  let revokedWallet: string
  let revokedAdmin: string
  const alice = user(11)
  const bob = user(12)

  beforeAll(async () => {
    t = await startTestNode()
    const rw = t.node.tokens.create('wallet')
    const ra = t.node.tokens.create('admin')
    t.node.tokens.revoke(rw.id)
    t.node.tokens.revoke(ra.id)
    revokedWallet = rw.token
    revokedAdmin = ra.token
    await t.node.sequencer.submitTask(keyTask(bob))
    await t.node.sequencer.submitTask(keyTask(alice))
    await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(77), index: 0, owner: alice.account, amount: 20_000_000n })
  })
  afterAll(async () => {
    await t.stop()
  })

  const writing = (): [string, (c: ReturnType<typeof client>) => Promise<{ status: number; json: any }>, 'wallet' | 'admin'][] => [
    ['POST /tx', (c) => c.postCbor('/tx', tx(alice, 0, [{ type: 'transfer', to: bob.account, amount: 1n }]).bytes), 'wallet'],
    ['POST /txs', (c) => c.postCbor('/txs', new Uint8Array([0x80])), 'wallet'],
    ['POST /accounts/register', (c) => c.postJson('/accounts/register', keyJson(keyTask(user(13)))), 'wallet'],
    ['POST /accounts/rotate', (c) => c.postJson('/accounts/rotate', keyJson(keyTask(bob, { kind: 'rotate', epoch: 1 }))), 'wallet'],
    ['POST /admin/pause', (c) => c.post('/admin/pause'), 'admin'],
    ['POST /admin/resume', (c) => c.post('/admin/resume'), 'admin'],
  ]

  for (const [name, send, scope] of writing()) {
    describe(name, () => {
      it('refuses no token, a malformed token, a revoked token and the wrong scope; stores nothing', async () => {
        const seq = t.node.sequencer.tip.seq
        const wrong = scope === 'admin' ? t.tokens.wallet : t.tokens.relay
        const revoked = scope === 'admin' ? revokedAdmin : revokedWallet
        const tries: [string | undefined, number, string][] = [
          [undefined, 401, 'UNAUTHORIZED'],
          ['lgn_nonsense', 401, 'UNAUTHORIZED'],
          [revoked, 401, 'UNAUTHORIZED'],
          [revoked.slice(0, -1) + (revoked.endsWith('A') ? 'B' : 'A'), 401, 'UNAUTHORIZED'],
          [wrong, 403, 'FORBIDDEN'],
        ]
        for (const [token, status, code] of tries) {
          const r = await send(client(t.url, token))
          expect({ token, status: r.status, code: r.json.code }).toEqual({ token, status, code })
        }
        expect(t.node.sequencer.tip.seq).toBe(seq)
      })
    })
  }

  it('lets the right scopes through (admin passes every scope)', async () => {
    const w = client(t.url, t.tokens.wallet)
    const a = client(t.url, t.tokens.admin)
    expect((await w.postCbor('/tx', tx(alice, 0, [{ type: 'transfer', to: bob.account, amount: 1n }]).bytes)).status).toBe(200)
    expect((await a.postCbor('/tx', tx(alice, 1, [{ type: 'transfer', to: bob.account, amount: 1n }]).bytes)).status).toBe(200)
    expect((await w.postJson('/accounts/rotate', keyJson(keyTask(bob, { kind: 'rotate', epoch: 1, l2Key: user(14).l2Key })))).status).toBe(200)
  })

  it('pauses and resumes ingress', async () => {
    const a = client(t.url, t.tokens.admin)
    const w = client(t.url, t.tokens.wallet)
    expect((await a.post('/admin/pause')).json).toEqual({ paused: true })
    const seq = t.node.sequencer.tip.seq
    const r = await w.postCbor('/tx', tx(alice, 2, [{ type: 'transfer', to: bob.account, amount: 1n }]).bytes)
    expect([r.status, r.json.code]).toEqual([503, 'PAUSED'])
    expect(t.node.sequencer.tip.seq).toBe(seq)
    expect((await w.get('/health')).json.paused).toBe(true)
    expect((await a.post('/admin/resume')).json).toEqual({ paused: false })
    expect((await w.postCbor('/tx', tx(alice, 2, [{ type: 'transfer', to: bob.account, amount: 1n }]).bytes)).status).toBe(200)
  })

  it('applies a revocation from another connection (the CLI) within TOKEN_RECHECK_MS, and its new token at once', async () => {
    const file = tempDb()
    const o = await startTestNode(file)
    const cli = new Database(file)
    try {
      const other = new TokenStore(cli)
      const fresh = other.create('admin')
      const asFresh = client(o.url, fresh.token)
      for (let i = 0; i < 3; i++) expect((await asFresh.post('/admin/pause')).status).toBe(200)
      // The row is cached now; the secret is still checked on every request.
      expect((await client(o.url, fresh.token.replace(/_[^_]+$/, '_' + 'A'.repeat(43))).post('/admin/pause')).status).toBe(401)
      expect(other.revoke(fresh.id)).toBe(true)
      await new Promise((r) => setTimeout(r, TOKEN_RECHECK_MS + 20))
      const r = await asFresh.post('/admin/pause')
      expect([r.status, r.json.code]).toEqual([401, 'UNAUTHORIZED'])
      // This connection's own revocation clears the cache too.
      const own = o.node.tokens.create('admin')
      expect((await client(o.url, own.token).post('/admin/resume')).status).toBe(200)
      o.node.tokens.revoke(own.id)
      expect((await client(o.url, own.token).post('/admin/resume')).status).toBe(401)
    } finally {
      cli.close()
      await o.stop()
    }
  })

  it('accepts submissions without a token when the node is open (admin still needs one)', async () => {
    const o = await startTestNode(undefined, { open: true })
    try {
      const anon = client(o.url)
      expect((await anon.postJson('/accounts/register', keyJson(keyTask(alice)))).status).toBe(200)
      expect((await anon.post('/admin/pause')).status).toBe(401)
      expect(toHex(o.node.sequencer.state.getAccount(alice.account)!.id)).toBe(toHex(alice.account))
    } finally {
      await o.stop()
    }
  })
})
