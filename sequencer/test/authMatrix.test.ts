import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeCanonical } from '../../sdk/src/core/cbor/canonical.js'
import { fromHex, toHex } from '../../sdk/src/core/bytes.js'
import { keyTask, user, type User } from '../../sdk/test/support/world.js'
import { requiredScope } from '../src/auth/routeAuth.js'
import type { Scope } from '../src/auth/TokenStore.js'
import type { AppDeps } from '../src/http/AppDeps.js'
import type { RouteDef } from '../src/http/RouteDef.js'
import { apiRoutes } from '../src/http/routes.js'
import type { LagoonNode } from '../src/node/openNode.js'
import { keyJson } from './support/client.js'
import { ADA, commitBatch, depositOnL1, devnetWorld, l2tx, startDevnetNode, type DevnetWorld } from './support/devnetWorld.js'
import { startTestNode, tempDb } from './support/harness.js'

/** A request a test can send: method, path, body. */
interface Req {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly body?: { type: string; bytes: Uint8Array | string }
}

const SCOPES: Scope[] = ['admin', 'relay', 'wallet']
const key = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method.toUpperCase()} ${r.path}`

/** The route table of a node, as the router builds it (handlers are not called here). */
function routeTable(node: LagoonNode, open: boolean): RouteDef[] {
  const deps: AppDeps = { sequencer: node.sequencer, log: node.log, tokens: node.tokens, metrics: node.metrics, limits: node.params.limits, open, l1: node.l1, streams: node.streams }
  return apiRoutes(deps)
}

/**
 * Sends a request with an exact Authorization header (or none). For an SSE route, answers with the
 * status and headers, then closes the stream.
 */
async function send(url: string, req: Req, authorization: string | undefined): Promise<{ status: number; code?: string; type: string; wwwAuth: string | null }> {
  const abort = new AbortController()
  const headers: Record<string, string> = {}
  if (authorization !== undefined) headers.authorization = authorization
  if (req.body) headers['content-type'] = req.body.type
  const res = await fetch(url + req.path, { method: req.method, headers, body: req.body?.bytes as BodyInit | undefined, signal: abort.signal })
  const type = res.headers.get('content-type') ?? ''
  let code: string | undefined
  if (type.includes('event-stream')) abort.abort()
  else if (type.includes('json')) code = ((await res.json()) as { code?: string }).code
  else await res.arrayBuffer()
  return { status: res.status, ...(code ? { code } : {}), type, wwwAuth: res.headers.get('www-authenticate') }
}

/** What a refused request must not have changed. */
function snapshot(node: LagoonNode) {
  return {
    seq: node.sequencer.tip.seq,
    paused: node.sequencer.paused,
    tokens: node.tokens.list().length,
    batches: node.l1?.poster.batches().length ?? 0,
    streams: node.streams.usage.eventClients + node.streams.usage.logClients,
  }
}

/** Waits for stream clients closed by earlier requests to be released (they leave asynchronously). */
async function settled(node: LagoonNode): Promise<void> {
  for (let i = 0; i < 250 && node.streams.usage.eventClients + node.streams.usage.logClients > 0; i++) await new Promise((r) => setTimeout(r, 20))
}

describe('auth matrix: every route of the table × every kind of credential', () => {
  let w: DevnetWorld
  let t: Awaited<ReturnType<typeof startDevnetNode>>
  let alice: User, carol: User
  const tokens = {} as Record<Scope | `revoked_${Scope}`, string>
  let registrationId = ''
  let nextUser = 100

  /** A valid request for each route, fresh at every call (it succeeds with the right token). */
  const samples: Record<string, () => Req> = {
    'POST /tx': () => ({ method: 'POST', path: '/tx', body: { type: 'application/cbor', bytes: nextTx().bytes } }),
    'POST /txs': () => ({ method: 'POST', path: '/txs', body: { type: 'application/cbor', bytes: encodeCanonical([nextTx().bytes]) } }),
    'POST /accounts/register': () => ({ method: 'POST', path: '/accounts/register', body: { type: 'application/json', bytes: JSON.stringify(keyJson(keyTask(user(nextUser++), { instance: fromHex(w.scripts.policyId) }))) } }),
    'POST /accounts/rotate': () => {
      const epoch = t.node.sequencer.state.getAccount(carol.account)!.keyEpoch
      return { method: 'POST', path: '/accounts/rotate', body: { type: 'application/json', bytes: JSON.stringify(keyJson(keyTask(carol, { kind: 'rotate', epoch, instance: fromHex(w.scripts.policyId) }))) } }
    },
    'GET /accounts/:id': () => ({ method: 'GET', path: `/accounts/${toHex(alice.account)}` }),
    'GET /accounts/:id/proof': () => ({ method: 'GET', path: `/accounts/${toHex(alice.account)}/proof?batch=1` }),
    'GET /accounts/:id/records': () => ({ method: 'GET', path: `/accounts/${toHex(alice.account)}/records` }),
    'GET /accounts/:id/withdrawals': () => ({ method: 'GET', path: `/accounts/${toHex(alice.account)}/withdrawals` }),
    'GET /batches': () => ({ method: 'GET', path: '/batches?from=0&limit=10' }),
    'POST /admin/batch': () => ({ method: 'POST', path: '/admin/batch' }),
    'POST /admin/pause': () => ({ method: 'POST', path: '/admin/pause' }),
    'POST /admin/resume': () => ({ method: 'POST', path: '/admin/resume' }),
    'GET /receipts/:txId': () => ({ method: 'GET', path: `/receipts/${registrationId}` }),
    'GET /log': () => ({ method: 'GET', path: '/log?from=1&limit=5' }),
    'GET /state': () => ({ method: 'GET', path: '/state' }),
    'GET /health': () => ({ method: 'GET', path: '/health' }),
    'GET /metrics': () => ({ method: 'GET', path: '/metrics' }),
    'GET /instance': () => ({ method: 'GET', path: '/instance' }),
    'GET /stream': () => ({ method: 'GET', path: '/stream?events=receipts,stats' }),
    'GET /log/stream': () => ({ method: 'GET', path: '/log/stream?from=1' }),
    'GET /openapi.json': () => ({ method: 'GET', path: '/openapi.json' }),
  }
  const nextTx = () => l2tx(w, alice, t.node.sequencer.state.getAccount(alice.account)!.nonce, [{ type: 'transfer', to: carol.account, amount: 1000n }])

  beforeAll(async () => {
    w = await devnetWorld([51, 52])
    ;[alice, carol] = w.users as [User, User]
    t = await startDevnetNode(w, tempDb(), { open: false })
    for (const s of SCOPES) {
      tokens[s] = t.node.tokens.create(s).token
      const r = t.node.tokens.create(s)
      t.node.tokens.revoke(r.id)
      tokens[`revoked_${s}`] = r.token
    }
    const reg = await t.node.sequencer.submitKeyTask(keyTask(alice, { instance: fromHex(w.scripts.policyId) }))
    registrationId = reg.txId
    await t.node.sequencer.submitKeyTask(keyTask(carol, { instance: fromHex(w.scripts.policyId) }))
    await depositOnL1(w, alice, 20n * ADA)
    w.devnet.awaitBlock(5)
    await t.node.l1!.tick()
    await commitBatch(w, t.node) // batch 1: the proof route has a confirmed root
    expect(t.node.l1!.poster.batch(1)?.status).toBe('confirmed')
  })
  afterAll(async () => {
    await t?.running.stop()
  })

  it('has a sample request for every route of the table (a new route must be added here)', () => {
    const routes = routeTable(t.node, false).map(key)
    expect(routes.filter((k) => !samples[k])).toEqual([])
    for (const k of ['POST /admin/batch', 'POST /admin/pause', 'POST /admin/resume', 'GET /stream', 'GET /log/stream', 'GET /instance', 'GET /accounts/:id/withdrawals']) expect(routes).toContain(k)
  })

  it('protects what writes: every POST needs a token, /admin/* needs admin, the log firehose needs relay', () => {
    for (const r of routeTable(t.node, false)) {
      const need = requiredScope(r.auth, false)
      if (r.method === 'post') expect({ route: key(r), protected: need !== null }).toEqual({ route: key(r), protected: true })
      if (r.path.startsWith('/admin/')) expect({ route: key(r), need }).toEqual({ route: key(r), need: 'admin' })
    }
    expect(routeTable(t.node, false).find((r) => r.path === '/log/stream')?.auth).toBe('firehose')
  })

  it('refuses every protected route without the right credentials (401/403, a code, nothing written) and serves every public one', async () => {
    const checked: string[] = []
    for (const r of routeTable(t.node, false)) {
      const need = requiredScope(r.auth, false)
      const sample = samples[key(r)]!
      const right = need ?? 'wallet'
      const flip = (tok: string) => tok.slice(0, -1) + (tok.endsWith('A') ? 'B' : 'A')
      // [label, Authorization header, expected outcome when the route is protected]
      const tries: [string, string | undefined, 401 | 403][] = [
        ['no token', undefined, 401],
        ...SCOPES.filter((s) => need && s !== need && s !== 'admin').map((s): [string, string, 403] => [`wrong scope ${s}`, `Bearer ${tokens[s]}`, 403]),
        [`revoked ${right}`, `Bearer ${tokens[`revoked_${right}`]}`, 401],
        ['revoked admin', `Bearer ${tokens.revoked_admin}`, 401],
        ['wrong secret', `Bearer ${flip(tokens[right])}`, 401],
        ['no Bearer scheme', tokens[right], 401],
        ['another scheme', `Basic ${Buffer.from(`x:${tokens[right]}`).toString('base64')}`, 401],
        ['empty', '', 401],
        ['Bearer and nothing', 'Bearer ', 401],
        ['garbage', 'Bearer lgn_%%%_!!!', 401],
        ['two tokens', `Bearer ${tokens[right]} ${tokens[right]}`, 401],
        ['10 kB', `Bearer ${'x'.repeat(10 * 1024)}`, 401],
      ]
      // For /admin/resume, "nothing written" is only visible on a paused node.
      if (r.path === '/admin/resume') t.node.sequencer.pause()
      for (const [label, header, refused] of tries) {
        await settled(t.node)
        const before = snapshot(t.node)
        const got = await send(t.url, sample(), header)
        const where = `${key(r)} with ${label}`
        if (need) {
          expect({ where, status: got.status, code: got.code }).toEqual({ where, status: refused, code: refused === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN' })
          if (refused === 401) expect(got.wwwAuth, where).toBe('Bearer')
          expect({ where, ...snapshot(t.node) }).toEqual({ where, ...before })
        } else {
          expect({ where, status: got.status }).toEqual({ where, status: 200 })
        }
        checked.push(where)
      }
      if (r.path === '/admin/resume') t.node.sequencer.resume()
    }
    expect(checked.length).toBeGreaterThan(200)
  })

  it('serves every route with the right scope, with admin (which passes every scope), and with a lowercase scheme', async () => {
    for (const r of routeTable(t.node, false)) {
      const need = requiredScope(r.auth, false)
      const creds = need ? [tokens[need], tokens.admin] : [undefined, tokens.wallet, tokens.relay, tokens.admin]
      for (const [i, tok] of creds.entries()) {
        const header = tok === undefined ? undefined : i === 0 ? `bearer ${tok}` : `Bearer ${tok}`
        const got = await send(t.url, samples[key(r)]!(), header)
        expect({ route: key(r), status: got.status, code: got.code }).toEqual({ route: key(r), status: 200, code: undefined })
        if (r.path === '/stream' || r.path === '/log/stream') expect(got.type).toContain('text/event-stream')
        if (r.path === '/admin/pause') t.node.sequencer.resume()
      }
    }
  })
})

describe('auth matrix on an open node: submissions and the log stream need no token, admin still does', () => {
  it('lets anyone submit and follow the log, and refuses admin without an admin token', async () => {
    const o = await startTestNode(undefined, { open: true })
    try {
      const node = o.node
      const deps: AppDeps = { sequencer: node.sequencer, log: node.log, tokens: node.tokens, metrics: node.metrics, limits: node.params.limits, open: true, l1: node.l1, streams: node.streams }
      const routes = apiRoutes(deps)
      for (const r of routes) {
        const scope = requiredScope(r.auth, true)
        if (r.auth === 'submit' || r.auth === 'firehose' || !r.auth) expect({ route: key(r), scope }).toEqual({ route: key(r), scope: null })
        else expect({ route: key(r), scope }).toEqual({ route: key(r), scope: 'admin' })
      }
      const anon = (req: Req) => send(o.url, req, undefined)
      const u = user(61)
      const reg = await anon({ method: 'POST', path: '/accounts/register', body: { type: 'application/json', bytes: JSON.stringify(keyJson(keyTask(u))) } })
      expect(reg.status).toBe(200)
      expect((await anon({ method: 'GET', path: '/log/stream?from=1' })).status).toBe(200)
      for (const path of ['/admin/pause', '/admin/resume', '/admin/batch']) {
        const seq = node.sequencer.tip.seq
        const none = await anon({ method: 'POST', path })
        expect([path, none.status, none.code]).toEqual([path, 401, 'UNAUTHORIZED'])
        const wallet = await send(o.url, { method: 'POST', path }, `Bearer ${o.tokens.wallet}`)
        expect([path, wallet.status, wallet.code]).toEqual([path, 403, 'FORBIDDEN'])
        expect(node.sequencer.paused).toBe(false)
        expect(node.sequencer.tip.seq).toBe(seq)
      }
      expect((await send(o.url, { method: 'POST', path: '/admin/pause' }, `Bearer ${o.tokens.admin}`)).status).toBe(200)
      expect(node.sequencer.paused).toBe(true)
    } finally {
      await o.stop()
    }
  })
})
