import { Hono, type Context } from 'hono'
import { encodeCanonical, encodeProof, fromHex, toHex } from '@lagoon/sdk'
import { NodeError } from '@lagoon/sequencer/errors/NodeError'
import { accountJson } from '@lagoon/sequencer/http/accountJson'
import { errorResponse } from '@lagoon/sequencer/http/errorStatus'
import { withdrawalsOf } from '@lagoon/sequencer/http/withdrawalsOf'
import type { Relay } from './Relay.js'

const MAX_LOG_PAGE = 10_000

function fail(c: Context, e: unknown): Response {
  const { status, body } = errorResponse(e)
  return c.json(body, status as 400)
}

function account(id: string | undefined): Uint8Array {
  if (!id || !/^[0-9a-fA-F]{56}$/.test(id)) throw new NodeError('BAD_REQUEST', `params.id: expected 28 bytes of hex, got "${id}"`)
  return fromHex(id)
}

function uint(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt
  if (!/^\d{1,15}$/.test(v)) throw new NodeError('BAD_REQUEST', `query.${name}: expected a whole number, got "${v}"`)
  return Number(v)
}

/**
 * The relay's read API: the sequencer's read routes with the same paths and JSON shapes, answered from
 * the relay's own replayed state, so `createLagoonClient({ url: relayUrl })` reads from it: `GET
 * /accounts/:id`, `/accounts/:id/records`, `/accounts/:id/withdrawals` (committed = in a batch the relay
 * checked), `/accounts/:id/proof?batch=N` (under a batch root the relay checked itself), `/receipts/:txId`, `/log`, `/batches`, `/state`, `/instance`, `/health`. Writes are
 * the sequencer's: a relay has none.
 *
 * @example
 * serve({ fetch: createRelayApp(relay).fetch, port: 8090 })
 */
export function createRelayApp(relay: Relay): Hono {
  const app = new Hono()
  app.get('/accounts/:id', (c) => {
    const a = relay.state.getAccount(account(c.req.param('id')))
    if (!a) throw new NodeError('NOT_FOUND', `no account ${c.req.param('id')}`)
    return c.json(accountJson(a))
  })
  app.get('/accounts/:id/records', (c) => {
    const id = account(c.req.param('id'))
    if (!relay.state.getAccount(id)) throw new NodeError('NOT_FOUND', `no account ${c.req.param('id')}`)
    return c.json(relay.state.recordsOf(id).map((r) => ({ key: toHex(r.key), value: toHex(r.value) })))
  })
  app.get('/accounts/:id/proof', (c) => {
    const id = account(c.req.param('id'))
    const q = c.req.query('batch')
    const n = q === undefined ? undefined : uint(q, 'batch', 0)
    const view = relay.viewAt(n)
    if (!view) throw new NodeError('NOT_FOUND', `no batch ${n ?? ''} checked by this relay yet`.replace('  ', ' '))
    const p = view.prove(id)
    if (!p) throw new NodeError('NOT_FOUND', `no account ${c.req.param('id')} at batch ${view.batch}`)
    const l = p.leaf
    return c.json({
      batch: view.batch,
      root: toHex(p.root),
      leaf: { account: toHex(l.account), balance: l.balance.toString(), pendingExit: l.pendingExit.toString(), nonce: l.nonce.toString(), recordsRoot: toHex(l.recordsRoot) },
      index: p.proof.index,
      mask: p.proof.mask,
      siblings: toHex(p.proof.siblings),
      proof: toHex(encodeProof(p.proof)),
    })
  })
  app.get('/accounts/:id/withdrawals', (c) => {
    const id = account(c.req.param('id'))
    if (!relay.state.getAccount(id)) throw new NodeError('NOT_FOUND', `no account ${c.req.param('id')}`)
    return c.json(withdrawalsOf(relay.db, id))
  })
  app.get('/receipts/:txId', (c) => {
    const t = c.req.param('txId')
    if (!/^[0-9a-fA-F]{64}$/.test(t)) throw new NodeError('BAD_REQUEST', `params.txId: expected 32 bytes of hex, got "${t}"`)
    const p = relay.log.positionOf(fromHex(t))
    if (!p) throw new NodeError('NOT_FOUND', `no applied task ${t}`)
    return c.json({ txId: t.toLowerCase(), seq: p.seq, logHead: toHex(p.head) })
  })
  app.get('/log', (c) => {
    const from = Math.max(1, uint(c.req.query('from'), 'from', 1))
    const limit = Math.min(MAX_LOG_PAGE, Math.max(1, uint(c.req.query('limit'), 'limit', 1000)))
    const entries = relay.log.range(from, limit)
    const next = entries.length > 0 ? entries[entries.length - 1]!.seq + 1 : from
    const body = encodeCanonical(entries.map((e) => [e.seq, e.bytes, e.head]))
    return new Response(body as Uint8Array<ArrayBuffer>, {
      headers: { 'content-type': 'application/cbor', 'lagoon-next-from': String(next), 'lagoon-log-seq': String(relay.status().seq) },
    })
  })
  app.get('/batches', (c) => {
    const from = uint(c.req.query('from'), 'from', 0)
    const limit = Math.min(1000, Math.max(1, uint(c.req.query('limit'), 'limit', 100)))
    return c.json(relay.batches(from, limit))
  })
  app.get('/state', (c) => {
    const s = relay.status()
    return c.json({ seq: s.seq, logHead: s.logHead, root: toHex(relay.state.root()), accounts: relay.state.accountCount() })
  })
  app.get('/instance', (c) => {
    if (!relay.instanceInfo?.seed) throw new NodeError('NO_L1', 'the node this relay follows publishes no layer-1 instance')
    return c.json(relay.instanceInfo)
  })
  app.get('/health', (c) => {
    const s = relay.status()
    return c.json({ status: s.status === 'diverged' ? 'diverged' : 'ok', seq: s.seq, logHead: s.logHead, queueDepth: 0, paused: false, relay: s }, s.status === 'diverged' ? 503 : 200)
  })
  app.notFound((c) => fail(c, new NodeError('NOT_FOUND', `no route ${c.req.method} ${c.req.path} on a relay (reads only: submit to the sequencer)`)))
  app.onError((e, c) => fail(c, e))
  return app
}
