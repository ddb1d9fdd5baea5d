import { loadBlake2b256 } from '../../../sdk/src/core/crypto/blake2b256.js'
import type { User } from '../../../sdk/test/support/world.js'
import { prepareNode, rssOf, spawnNode } from '../childNode.js'
import { LogMirror } from '../LogMirror.js'
import { nextRequest, type FuzzRoute, type FuzzWorld } from './generators.js'
import { rawRequest } from './rawRequests.js'
import { Rng } from './Rng.js'

/** A response that breaks a rule: a 5xx, a 4xx without a code, a valid tx refused, a timeout. */
export interface FuzzProblem {
  readonly rule: string
  readonly kind: string
  readonly method: string
  readonly path: string
  readonly status: number
  readonly body: string
}

/** The outcome of a fuzz run. */
export interface FuzzRun {
  readonly ok: boolean
  readonly requests: number
  readonly raw: number
  readonly byStatus: Record<string, number>
  readonly byCode: Record<string, number>
  readonly byKind: Record<string, number>
  readonly problems: FuzzProblem[]
  /** Problems beyond the ones kept (only the first 50 are kept). */
  readonly problemCount: number
  /**
   * 4xx answered by Node's HTTP parser before the app (malformed HTTP, a URL or headers past 16 KB):
   * no JSON body and no code, as the parser writes them (raw-socket requests and 431s).
   */
  readonly parserRejections: number
  readonly validSent: number
  readonly validApplied: number
  /** Log entries appended during the run that are not one of the valid txs sent on purpose (must be 0). */
  readonly unexpectedLogEntries: number
  readonly stateMatchesReplay: boolean
  readonly processAlive: boolean
  readonly rss: { startMb: number; maxMb: number; endMb: number; samples: number }
  readonly seconds: number
  readonly routes: string[]
}

const inc = (m: Record<string, number>, k: string) => void (m[k] = (m[k] ?? 0) + 1)

/**
 * Fuzzes a real node (`lagoon-sequencer start` in a child process, durable receipts, wallet tokens
 * required) on every route of its OpenAPI document plus unknown ones: random bytes, mutated valid
 * CBOR, huge declared lengths, deep nesting, wrong types, boundary amounts, replayed and
 * cross-instance txs, hostile JSON, every token kind, and 2 % raw-socket requests no client would
 * send. Rules: no 5xx, every 4xx a JSON body with a `code`, the process alive, its RSS bounded, and
 * the log changed only by the valid transfers sent on purpose (checked by replaying it).
 *
 * @example
 * const run = await runFuzz({ requests: 100_000, seed: 1 })
 */
export async function runFuzz(opts: { requests: number; concurrency?: number; seed?: number; users?: number; onProgress?: (done: number, rssMb: number) => void }): Promise<FuzzRun> {
  const started = performance.now()
  const hash = await loadBlake2b256()
  const prepared = await prepareNode({ users: opts.users ?? 8 })
  const node = await spawnNode(prepared.configPath)
  const rng = new Rng(opts.seed ?? 1)
  const mirror = new LogMirror(hash)
  const problems: FuzzProblem[] = []
  let problemCount = 0
  const byStatus: Record<string, number> = {}
  const byCode: Record<string, number> = {}
  const byKind: Record<string, number> = {}
  const rss: number[] = []
  const sampler = setInterval(() => {
    const v = rssOf(node.pid)
    if (v !== undefined) rss.push(v)
  }, 250)
  const problem = (p: FuzzProblem) => {
    problemCount++
    if (problems.length < 50) problems.push({ ...p, body: p.body.slice(0, 300) })
  }
  const port = Number(new URL(node.url).port)
  try {
    await mirror.pull(node.url, prepared.adminToken)
    const startSeq = mirror.seq
    const doc = (await (await fetch(`${node.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
    const routes: FuzzRoute[] = []
    for (const [p, ms] of Object.entries(doc.paths)) for (const m of Object.keys(ms)) routes.push({ method: m, path: p.replace(/\{([^}]+)\}/g, ':$1') })
    const world: FuzzWorld = {
      routes,
      users: prepared.users,
      tokens: { admin: prepared.adminToken, wallet: prepared.walletToken, relay: prepared.relayToken, revoked: prepared.revokedToken },
      hash,
      applied: [],
      nonces: new Map<User, number>(),
    }
    const validIds = new Set<string>()
    let validSent = 0
    let parserRejections = 0
    let validInFlight = false
    let done = 0
    const worker = async () => {
      while (done < opts.requests) {
        done++
        if (done % 5000 === 0) opts.onProgress?.(done, (rss[rss.length - 1] ?? 0) / 2 ** 20)
        if (rng.chance(0.02)) {
          const a = await rawRequest(rng, '127.0.0.1', port, prepared.walletToken)
          inc(byKind, `raw:${a.kind}`)
          inc(byStatus, `raw ${a.status}`)
          if (a.status >= 400 && a.status < 500 && !a.body.includes('"code"')) parserRejections++
          if (a.status >= 500) problem({ rule: '5xx', kind: `raw:${a.kind}`, method: 'RAW', path: '', status: a.status, body: a.body })
          continue
        }
        let req = nextRequest(rng, world)
        while (req.validTxId && validInFlight) req = nextRequest(rng, world)
        inc(byKind, req.kind)
        if (req.validTxId) validInFlight = true
        let status = 0
        let text = ''
        let type = ''
        try {
          const res = await fetch(node.url + req.path, {
            method: req.method,
            headers: req.headers,
            ...(req.body !== undefined ? { body: req.body as BodyInit } : {}),
            signal: AbortSignal.timeout(15_000),
          })
          status = res.status
          type = res.headers.get('content-type') ?? ''
          if (type.includes('event-stream')) await res.body?.cancel()
          else text = await res.text()
        } catch (e) {
          const msg = String((e as Error)?.message ?? e)
          // undici refuses to send some of what we generate (a bad header value): not the node's doing.
          if (/headers|ByteString|invalid|not a valid/i.test(msg) && !/fetch failed/.test(msg)) {
            inc(byStatus, 'client-refused')
            if (req.validTxId) validInFlight = false
            continue
          }
          problem({ rule: 'no answer', kind: req.kind, method: req.method, path: req.path.slice(0, 200), status: 0, body: msg + ' ' + String((e as Error & { cause?: unknown }).cause ?? '') })
          if (req.validTxId) validInFlight = false
          continue
        }
        inc(byStatus, String(status))
        if ((status === 431 || status === 400) && text === '') {
          // Refused by Node's HTTP parser (a URL or header block past its 16 KB limit) before the app runs.
          parserRejections++
          continue
        }
        if (status >= 500) problem({ rule: '5xx', kind: req.kind, method: req.method, path: req.path.slice(0, 200), status, body: text })
        if (status >= 400 && req.method !== 'HEAD') {
          let code: unknown
          try {
            code = (JSON.parse(text) as { code?: unknown }).code
          } catch {
            code = undefined
          }
          if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(code)) problem({ rule: '4xx without a code', kind: req.kind, method: req.method, path: req.path.slice(0, 200), status, body: text })
          else inc(byCode, `${status} ${code}`)
        }
        if (status === 200 && !req.validTxId && req.method === 'POST' && /^\/txs?$/.test(req.path)) {
          // A hostile request may only get back the receipt of a tx applied on purpose (a replay, or the
          // same body with a broken signature: the id is the body's hash and that body was signed).
          const receipts = req.path === '/tx' ? [JSON.parse(text) as { txId: string }] : ((JSON.parse(text) as { results: { receipt?: { txId: string } }[] }).results ?? []).flatMap((x) => (x.receipt ? [x.receipt] : []))
          for (const rc of receipts) {
            if (!validIds.has(rc.txId)) problem({ rule: 'hostile tx accepted', kind: req.kind, method: req.method, path: req.path, status, body: text + ' ' + Buffer.from(req.body as Uint8Array).toString('hex').slice(0, 600) })
            else inc(byCode, `200 receipt of an applied tx (${req.kind})`)
          }
        }
        if (req.validTxId) {
          const [id, ui, n] = req.validTxId.split(':') as [string, string, string]
          validSent++
          if (status === 200) {
            validIds.add(id)
            world.applied.push(req.body as Uint8Array)
            world.nonces.set(prepared.users[Number(ui)]!, Number(n) + 1)
          } else problem({ rule: 'valid tx refused', kind: req.kind, method: req.method, path: req.path, status, body: text })
          validInFlight = false
        }
      }
    }
    await Promise.all(Array.from({ length: opts.concurrency ?? 32 }, worker))
    const health = await fetch(`${node.url}/health`).then((r) => r.status).catch(() => 0)
    const processAlive = node.child.exitCode === null && node.child.signalCode === null && health === 200
    await mirror.pull(node.url, prepared.adminToken)
    const after = mirror.idsFrom(startSeq + 1)
    const unexpected = after.filter((id) => !validIds.has(id)).length
    const state = (await (await fetch(`${node.url}/state`)).json()) as { seq: number; logHead: string; root: string }
    const stateMatchesReplay = state.seq === mirror.seq && state.logHead === mirror.head && state.root === mirror.root()
    clearInterval(sampler)
    const tenth = rss.slice(0, Math.max(1, Math.floor(rss.length / 10)))
    const r = {
      startMb: Math.round(Math.max(...tenth) / 2 ** 20),
      maxMb: Math.round(Math.max(...rss) / 2 ** 20),
      endMb: Math.round((rss[rss.length - 1] ?? 0) / 2 ** 20),
      samples: rss.length,
    }
    const rssBounded = r.maxMb < 1024 && r.endMb < r.startMb * 2 + 64
    const ok = problemCount === 0 && processAlive && stateMatchesReplay && unexpected === 0 && after.length === validIds.size && rssBounded && mirror.duplicates.length === 0
    return {
      ok,
      requests: done,
      raw: Object.entries(byKind).filter(([k]) => k.startsWith('raw:')).reduce((a, [, n]) => a + n, 0),
      byStatus,
      byCode,
      byKind,
      problems,
      problemCount,
      parserRejections,
      validSent,
      validApplied: validIds.size,
      unexpectedLogEntries: unexpected,
      stateMatchesReplay,
      processAlive,
      rss: r,
      seconds: Math.round((performance.now() - started) / 1000),
      routes: routes.map((x) => `${x.method.toUpperCase()} ${x.path}`),
    }
  } finally {
    clearInterval(sampler)
    await node.stop().catch(() => {})
    prepared.dispose()
  }
}
