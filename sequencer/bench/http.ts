/**
 * HTTP benchmark of the sequencer (`npm run bench:sequencer`): concurrent clients on loopback submit
 * signed transfers; the figures issue 4 asks for, and what they cost.
 *
 *   npx tsx sequencer/bench/http.ts [--accounts 2000] [--per-account 150] [--lanes 128] [--batch 64]
 *     [--batch-lanes 16] [--seconds 6] [--workers 2] [--durability full|normal]
 *     [--extra-accounts 0] [--cache DIR] [--loads 0.5] [--node-flags="..."] [--max-seconds 600] [--help]
 *
 * This process seeds a node's SQLite file (or copies a seeded file from `--cache`) and closes it; the
 * node that is measured (HTTP server, applier, SQLite, verify workers) then starts in a fresh forked
 * process on that file, as an operator's restart would, so its memory figures carry none of the
 * seeding's garbage. The load generator runs in another forked process; all three share the
 * machine's cores as they would on one box. The
 * child speaks HTTP/1.1 on raw keep-alive sockets (one request in flight per socket, like wrk), so the
 * client spends little of the shared CPU. Everything is on 127.0.0.1; the run stops by itself
 * (`--max-seconds` is a hard limit).
 *
 * Prints: the machine's load, the ed25519 verify ceiling measured in this run (one core on the main
 * thread, and the node's own worker pool) before and after the load; sustained tx/s and p50/p99
 * submit→receipt at full load (closed loop) and at half that rate (open loop, latency from the
 * scheduled send time; `--loads` adds other fractions), for `POST /tx` and for `POST /txs`; the CPU
 * the node and the client used in each phase, the kernel's share of the node's, and its main
 * thread's (HTTP, applier, SQLite; the rest is the verify workers, the WAL syncs on libuv's pool, the
 * checkpointer and V8's GC helpers); the same client at the same `POST /tx` open-loop rates against a
 * bare server that only appends each body to a file and fdatasyncs it (the latency floor this machine
 * gives at that moment); the node's RSS with `accounts + extra-accounts` accounts in its state, at rest after
 * opening and at its peak under load.
 */
import { fork } from 'node:child_process'
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto'
import { copyFileSync, existsSync, fdatasync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { createServer } from 'node:http'
import { connect, type Socket } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, PerformanceObserver, constants as perfConstants } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { fromHex, toHex } from '../../sdk/src/core/bytes.js'
import { encodeCanonical } from '../../sdk/src/core/cbor/canonical.js'
import { loadBlake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { encodeSignedTx, encodeTxBody } from '../../sdk/src/core/tx/encodeTx.js'
import { bucketQuantile } from '../src/metrics/Metrics.js'

const HELP = `usage: npx tsx sequencer/bench/http.ts [options]   (or: npm run bench:sequencer -- [options])
  --accounts N        registered accounts that send transfers (default 2000)
  --per-account N     transfers pre-signed per account (default 150)
  --lanes N           sockets in flight for POST /tx at full load (default 128)
  --batch N           transactions per POST /txs (default 64)
  --batch-lanes N     sockets in flight for POST /txs at full load (default 16)
  --seconds S         length of each measured phase (default 6)
  --workers N         signature-verify worker threads (default 2)
  --durability M      full (fsync'ed receipts, default) | normal
  --extra-accounts N  more (deposit-only) accounts in the state, e.g. 1000000 for the RSS target (default 0)
  --verify-nice N     nice value of the verifying threads (default: the node's, 10)
  --cache DIR         keep the seeded file in DIR and reuse it on the next run with the same --accounts and
                      --extra-accounts (seeding 1M accounts takes minutes; the keys are derived, not random)
  --loads F,F...      the open-loop phases' rates, as fractions of the full-load rate (default 0.5: "half load")
  --node-flags="F ..." extra Node/V8 flags for the measured node process only (experiments, e.g.
                      --node-flags=--max-semi-space-size=4)
  --max-seconds S     hard limit on the whole run (default 600)`

const { values: opts } = parseArgs({
  options: {
    client: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
    accounts: { type: 'string', default: '2000' },
    'per-account': { type: 'string', default: '150' },
    lanes: { type: 'string', default: '128' },
    batch: { type: 'string', default: '64' },
    'batch-lanes': { type: 'string', default: '16' },
    seconds: { type: 'string', default: '6' },
    workers: { type: 'string', default: '2' },
    durability: { type: 'string', default: 'full' },
    'extra-accounts': { type: 'string', default: '0' },
    'max-seconds': { type: 'string', default: '600' },
    cache: { type: 'string' },
    'verify-nice': { type: 'string' },
    loads: { type: 'string', default: '0.5' },
    'node-flags': { type: 'string' },
    serve: { type: 'string' },
    floor: { type: 'string' },
  },
})

const INSTANCE = new Uint8Array(28).fill(0x11)
const TERMS = new Uint8Array(32).fill(0x22)
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex')

/** Parent → child: what to prepare. */
type Prepare = { kind: 'prepare'; accounts: number; perAccount: number }
/** Child → parent: the registrations to seed (hex). */
type Prepared = { kind: 'prepared'; registrations: { account: string; signature: string; key: string }[] }
/** Parent → child: go. */
type Run = {
  kind: 'run'
  port: number
  token: string
  lanes: number
  batch: number
  batchLanes: number
  seconds: number
  fractions: number[]
  /** Given: only open-loop `POST /tx` phases at these rates (the floor server), no full-load phases. */
  rates?: number[]
}
type PhaseResult = {
  name: string
  txs: number
  seconds: number
  p50: number
  p99: number
  errors: number
  /** Epoch ms of the phase's start and end (the parent charges its CPU samples to the phase). */
  from: number
  to: number
  clientCpuMs: number
}
type Done = { kind: 'done'; results: PhaseResult[] }

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN
  const s = Float64Array.from(xs).sort()
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}
const cpuMs = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
/** CPU ms of this process's main thread (Linux: /proc, in clock ticks of 10 ms); NaN elsewhere. */
const mainThreadCpuMs = (): number => {
  try {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'latin1')
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return NaN
  }
}

// ---------------------------------------------------------------- client (child process)

/** One keep-alive HTTP/1.1 connection, one request at a time; resolves with the status and body. */
class Conn {
  private readonly sock: Socket
  private buf: Buffer = Buffer.alloc(0)
  private waiting: { resolve: (r: { status: number; body: Buffer }) => void; reject: (e: Error) => void } | null = null
  /** False once the socket closed (the server drops keep-alive sockets idle for 5 s, e.g. between phases). */
  alive = true
  readonly ready: Promise<void>

  constructor(port: number) {
    this.sock = connect({ host: '127.0.0.1', port, noDelay: true })
    this.ready = new Promise((resolve, reject) => {
      this.sock.once('connect', resolve)
      this.sock.once('error', reject)
    })
    this.sock.on('data', (d: Buffer) => {
      this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d])
      this.parse()
    })
    this.sock.on('error', (e) => this.waiting?.reject(e))
    this.sock.on('close', () => {
      this.alive = false
      this.waiting?.reject(new Error('connection closed'))
    })
  }

  private parse(): void {
    if (!this.waiting) return
    const end = this.buf.indexOf('\r\n\r\n')
    if (end < 0) return
    const head = this.buf.toString('latin1', 0, end).toLowerCase()
    const status = Number(head.slice(9, 12))
    let total: number
    const cl = /\r\ncontent-length: *(\d+)/.exec(head)
    if (cl) total = end + 4 + Number(cl[1])
    else {
      const term = this.buf.indexOf('\r\n0\r\n\r\n', end)
      if (term < 0) return
      total = term + 7
    }
    if (this.buf.length < total) return
    const body = this.buf.subarray(end + 4, total)
    this.buf = this.buf.subarray(total)
    const w = this.waiting
    this.waiting = null
    w.resolve({ status, body })
  }

  request(head: Buffer, body: Uint8Array): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      if (!this.alive) return reject(new Error('connection closed'))
      this.waiting = { resolve, reject }
      this.sock.write(Buffer.concat([head, body]))
    })
  }

  close(): void {
    this.sock.destroy()
  }
}

async function prepare(cfg: Prepare): Promise<{ prepared: Prepared; txs: Uint8Array[][] }> {
  // Lucid's CML (for the CIP-8 registrations) is loaded here only: it costs the node process ~180 MB.
  const { CML } = await import('@lucid-evolution/lucid')
  const { signKeyAuthorization } = await import('../../sdk/src/core/registration/signKeyAuthorization.js')
  const { ed25519PublicKey } = await import('../../sdk/src/core/crypto/ed25519.js')
  const { concatBytes } = await import('../../sdk/src/core/bytes.js')
  const hash = await loadBlake2b256()
  const registrations: Prepared['registrations'] = []
  const accounts: { id: Uint8Array; key: KeyObject }[] = []
  // Keys derived from the index, so that a cached seeded file (--cache) matches the client's accounts.
  const derive = (label: string, i: number): Uint8Array => new Uint8Array(createHash('sha256').update(`lagoon-bench ${label} ${i}`).digest())
  for (let i = 0; i < cfg.accounts; i++) {
    const sk = CML.PrivateKey.from_normal_bytes(derive('l1', i))
    const account = sk.to_public().hash().to_raw_bytes()
    const address = toHex(concatBytes(new Uint8Array([0x60]), account))
    const l2Secret = derive('l2', i)
    const signed = signKeyAuthorization(address, { instance: INSTANCE, account, l2Key: ed25519PublicKey(l2Secret), terms: TERMS, epoch: 0 }, sk.to_bech32())
    registrations.push({ account: toHex(account), signature: toHex(signed.signature), key: toHex(signed.key) })
    accounts.push({ id: account, key: createPrivateKey({ key: Buffer.concat([PKCS8, Buffer.from(l2Secret)]), format: 'der', type: 'pkcs8' }) })
  }
  // Pre-sign every account's transfers (nonce 0..perAccount-1), so signing costs nothing while measuring.
  const txs = accounts.map((a, i) => {
    const to = accounts[(i + 1) % accounts.length]!.id
    return Array.from({ length: cfg.perAccount }, (_, nonce) => {
      const body = { instance: INSTANCE, signer: a.id, nonce, fee: 0n, actions: [{ type: 'transfer' as const, to, amount: 1n }] }
      return encodeSignedTx(body, new Uint8Array(sign(null, hash(encodeTxBody(body)), a.key)))
    })
  })
  return { prepared: { kind: 'prepared', registrations }, txs }
}

async function runClient(cfg: Run, txs: Uint8Array[][]): Promise<PhaseResult[]> {
  const heads = new Map<string, Buffer>()
  const headFor = (path: string, length: number): Buffer => {
    const k = `${path} ${length}`
    let h = heads.get(k)
    if (!h) {
      h = Buffer.from(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${cfg.port}\r\ncontent-type: application/cbor\r\nauthorization: Bearer ${cfg.token}\r\ncontent-length: ${length}\r\n\r\n`,
        'latin1',
      )
      heads.set(k, h)
    }
    return h
  }
  const conns: Conn[] = []
  const idle: Conn[] = []
  const getConn = async (): Promise<Conn> => {
    for (let c = idle.pop(); c; c = idle.pop()) if (c.alive) return c
    const n = new Conn(cfg.port)
    conns.push(n)
    await n.ready
    return n
  }

  // Each account has at most one tx in flight (its nonces must arrive in order).
  const perAccount = txs[0]!.length
  const next = new Int32Array(txs.length)
  const free: number[] = txs.map((_, i) => i)
  let freeHead = 0
  const take = (): number | undefined => {
    while (freeHead < free.length) {
      const i = free[freeHead++]!
      if (freeHead > 65_536) {
        free.splice(0, freeHead)
        freeHead = 0
      }
      if (next[i]! < perAccount) return i
    }
    return undefined
  }
  const pick = (n: number): number[] => {
    const picked: number[] = []
    for (let k = 0; k < n; k++) {
      const i = take()
      if (i === undefined) break
      picked.push(i)
    }
    return picked
  }
  /** Sends the next tx of each picked account; resolves with how many were accepted. */
  const send = async (path: '/tx' | '/txs', picked: number[]): Promise<{ ok: number; bad: number }> => {
    const items = picked.map((i) => txs[i]![next[i]!++]!)
    const body = path === '/tx' ? items[0]! : encodeCanonical(items)
    const conn = await getConn()
    // A socket the server closed just as it was picked: an error, not a hang (its nonces are lost).
    const res = await conn.request(headFor(path, body.length), body).catch(() => null)
    if (res === null) return { ok: 0, bad: picked.length }
    idle.push(conn)
    for (const i of picked) free.push(i)
    if (res.status !== 200) return { ok: 0, bad: picked.length }
    if (path === '/tx') return { ok: 1, bad: 0 }
    const { results } = JSON.parse(res.body.toString('utf8')) as { results: { receipt?: unknown }[] }
    const ok = results.filter((r) => r.receipt !== undefined).length
    return { ok, bad: picked.length - ok }
  }

  const closedLoop = async (name: string, path: '/tx' | '/txs', lanes: number, per: number, seconds: number): Promise<PhaseResult> => {
    const lat: number[] = []
    let done = 0
    let errors = 0
    const cpu0 = cpuMs()
    const from = Date.now()
    const t0 = performance.now()
    const end = t0 + seconds * 1000
    const lane = async (): Promise<void> => {
      while (performance.now() < end) {
        const picked = pick(per)
        if (picked.length === 0) return
        const s = performance.now()
        const r = await send(path, picked)
        lat.push(performance.now() - s)
        done += r.ok
        errors += r.bad
      }
    }
    await Promise.all(Array.from({ length: lanes }, lane))
    const secs = (performance.now() - t0) / 1000
    return { name, txs: done, seconds: secs, p50: pct(lat, 50), p99: pct(lat, 99), errors, from, to: Date.now(), clientCpuMs: cpuMs() - cpu0 }
  }

  /** Sends `rate` tx/s in requests of `per`; latency counts from each request's scheduled time. */
  const openLoop = async (name: string, path: '/tx' | '/txs', rate: number, per: number, seconds: number): Promise<PhaseResult> => {
    const lat: number[] = []
    let done = 0
    let errors = 0
    let scheduled = 0
    const pending = new Set<Promise<void>>()
    const cpu0 = cpuMs()
    const from = Date.now()
    const t0 = performance.now()
    const end = t0 + seconds * 1000
    const interval = (1000 * per) / rate
    while (performance.now() < end) {
      const now = performance.now()
      while (t0 + scheduled * interval <= now) {
        const due = t0 + scheduled * interval
        scheduled++
        const picked = pick(per)
        if (picked.length === 0) {
          errors += per // the client ran out of idle accounts: count as a miss, not silently skip
          continue
        }
        const p = send(path, picked).then((r) => {
          lat.push(performance.now() - due)
          done += r.ok
          errors += r.bad
          pending.delete(p)
        })
        pending.add(p)
      }
      await new Promise((r) => setTimeout(r, 1))
    }
    await Promise.all(pending)
    const secs = (performance.now() - t0) / 1000
    return { name, txs: done, seconds: secs, p50: pct(lat, 50), p99: pct(lat, 99), errors, from, to: Date.now(), clientCpuMs: cpuMs() - cpu0 }
  }

  const results: PhaseResult[] = []
  if (cfg.rates) {
    for (const rate of cfg.rates) results.push(await openLoop(`bare server, ${f0(rate)}/s`, '/tx', rate, 1, cfg.seconds))
    for (const c of conns) c.close()
    return results
  }
  await closedLoop('warm-up', '/tx', cfg.lanes, 1, 2)
  const full = await closedLoop('POST /tx, full load', '/tx', cfg.lanes, 1, cfg.seconds)
  results.push(full)
  const loadName = (f: number): string => (f === 0.5 ? 'half load' : `${f} of full load`)
  for (const f of cfg.fractions) results.push(await openLoop(`POST /tx, ${loadName(f)}`, '/tx', Math.max(1, (f * full.txs) / full.seconds), 1, cfg.seconds))
  const fullB = await closedLoop(`POST /txs (${cfg.batch}/req), full load`, '/txs', cfg.batchLanes, cfg.batch, cfg.seconds)
  results.push(fullB)
  for (const f of cfg.fractions) {
    results.push(await openLoop(`POST /txs (${cfg.batch}/req), ${loadName(f)}`, '/txs', Math.max(cfg.batch, (f * fullB.txs) / fullB.seconds), cfg.batch, cfg.seconds))
  }
  for (const c of conns) c.close()
  return results
}

// ---------------------------------------------------------------- node

/** ed25519 verifies per second on this thread (node:crypto, prepared KeyObject). */
function verifyCeiling(ms = 1000): number {
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8, randomBytes(32)]), format: 'der', type: 'pkcs8' })
  const pub = createPublicKey(priv)
  const msg = randomBytes(32)
  const sig = sign(null, msg, priv)
  let n = 0
  const t0 = performance.now()
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 200; i++) verify(null, msg, pub, sig)
    n += 200
  }
  return n / ((performance.now() - t0) / 1000)
}

/** ed25519 verifies per second through the node's worker pool (all its workers busy). */
async function poolCeiling(pool: import('../src/queue/VerifyPool.js').VerifyPool, count = 16_000): Promise<{ rate: number; cpuUs: number }> {
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8, randomBytes(32)]), format: 'der', type: 'pkcs8' })
  const key = new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(12))
  const msg = new Uint8Array(randomBytes(32))
  const sig = new Uint8Array(sign(null, msg, priv))
  await Promise.all(Array.from({ length: 512 }, () => pool.verify(key, msg, sig)))
  const t0 = performance.now()
  const c0 = cpuMs()
  const oks = await Promise.all(Array.from({ length: count }, () => pool.verify(key, msg, sig)))
  if (!oks.every(Boolean)) throw new Error('the pool failed a valid signature')
  return { rate: count / ((performance.now() - t0) / 1000), cpuUs: ((cpuMs() - c0) * 1000) / count }
}

/** µs to import one raw ed25519 public key: as a JWK (what the node's workers do) and as DER (SPKI). */
function keyImportUs(n = 2000): { jwk: number; der: number } {
  const raw = createPublicKey(createPrivateKey({ key: Buffer.concat([PKCS8, randomBytes(32)]), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' }).subarray(12)
  const x = raw.toString('base64url')
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw])
  let t = performance.now()
  for (let i = 0; i < n; i++) createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' })
  const jwk = ((performance.now() - t) * 1000) / n
  t = performance.now()
  for (let i = 0; i < n; i++) createPublicKey({ key: spki, format: 'der', type: 'spki' })
  return { jwk, der: ((performance.now() - t) * 1000) / n }
}

const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`
const f0 = (x: number): string => Math.round(x).toLocaleString('en-US')
/** The benchmark node's configuration: closed (wallet tokens), no layer 1. */
const benchConfig = (db: string) => ({
  db,
  host: '127.0.0.1',
  port: 0,
  open: false,
  durability: (opts.durability === 'normal' ? 'normal' : 'full') as 'normal' | 'full',
  verifyWorkers: Number(opts.workers),
  ...(opts['verify-nice'] !== undefined ? { verifyNice: Number(opts['verify-nice']) } : {}),
  maxGroup: 4096,
  maxQueue: 1_000_000,
  instance: toHex(INSTANCE),
  operator: toHex(new Uint8Array(28).fill(0xee)),
  terms: toHex(TERMS),
})

/** Serve process → orchestrator: listening. */
type Ready = { kind: 'ready'; port: number; token: string; root: string }
/** Orchestrator → serve process: the client's results; print the report and exit. */
type Results = { kind: 'results'; results: PhaseResult[]; floor: PhaseResult[] }

/**
 * The orchestrator: seeds the file (or copies it from --cache) with a node in this process, closes
 * it, then starts the measured node in a fresh process and the load client in another.
 */
async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error(`bench: over --max-seconds ${opts['max-seconds']}; stopping`)
    process.exit(2)
  }, Number(opts['max-seconds']) * 1000)
  deadline.unref()
  const N = Number(opts.accounts)
  const extra = Number(opts['extra-accounts'])
  const fractions = opts.loads.split(',').map(Number)
  if (fractions.some((f) => !(f > 0 && f < 1))) throw new Error(`--loads takes fractions between 0 and 1, e.g. 0.25,0.5; got ${opts.loads}`)
  const dir = mkdtempSync(join(tmpdir(), 'lagoon-bench-'))
  const file = join(dir, 'node.db')
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)

  // The client prepares keys, CIP-8 registrations and pre-signed transfers.
  const child = fork(new URL(import.meta.url).pathname, ['--client'], { stdio: 'inherit' })
  child.once('exit', (code) => {
    if (code !== 0) {
      console.error(`bench: the client exited with ${code}`)
      process.exit(1)
    }
  })
  const ask = <T>(m: Prepare | Run): Promise<T> =>
    new Promise((resolve) => {
      child.once('message', (r) => resolve(r as T))
      child.send(m)
    })
  let t0 = performance.now()
  const prepared = await ask<Prepared>({ kind: 'prepare', accounts: N, perAccount: Number(opts['per-account']) })
  console.log(`client: ${N} accounts, ${N * Number(opts['per-account'])} transfers pre-signed in ${((performance.now() - t0) / 1000).toFixed(1)} s`)

  const cached = opts.cache ? join(opts.cache, `bench-${N}-${extra}.db`) : null
  let seededRoot: string
  if (cached && existsSync(cached) && existsSync(`${cached}.root`)) {
    copyFileSync(cached, file)
    seededRoot = readFileSync(`${cached}.root`, 'utf8')
    console.log(`seeded file copied from ${cached}`)
  } else {
    seededRoot = await seed(file, prepared, extra)
    if (cached) {
      mkdirSync(opts.cache!, { recursive: true })
      copyFileSync(file, `${cached}.tmp`)
      renameSync(`${cached}.tmp`, cached)
      writeFileSync(`${cached}.root`, seededRoot)
    }
  }

  // The measured node: a fresh process on the seeded file.
  const server = fork(new URL(import.meta.url).pathname, ['--serve', file, ...process.argv.slice(2)], {
    stdio: 'inherit',
    execArgv: [...process.execArgv.filter((a) => a !== '--expose-gc'), '--expose-gc', ...(opts['node-flags']?.split(' ').filter(Boolean) ?? [])],
  })
  const ready = await new Promise<Ready>((resolve, reject) => {
    server.once('message', (m) => resolve(m as Ready))
    server.once('exit', (code) => reject(new Error(`bench: the node process exited with ${code} before listening`)))
  })
  if (ready.root !== seededRoot) throw new Error(`bench: the reopened node's root ${ready.root} is not the seeded ${seededRoot}`)
  const run: Run = {
    kind: 'run',
    port: ready.port,
    token: ready.token,
    lanes: Number(opts.lanes),
    batch: Number(opts.batch),
    batchLanes: Number(opts['batch-lanes']),
    seconds: Number(opts.seconds),
    fractions,
  }
  const done = await ask<Done>(run)
  // The machine's floor for the same client and rates: a bare server that only appends and syncs.
  await new Promise((r) => setTimeout(r, 2000)) // the node's checkpointer catches up with the WAL first
  const bare = fork(new URL(import.meta.url).pathname, ['--floor', join(dir, 'bare.log')], { stdio: 'inherit' })
  const barePort = await new Promise<number>((resolve) => bare.once('message', (m) => resolve((m as { port: number }).port)))
  const txRate = done.results[0]!.txs / done.results[0]!.seconds
  const floor = await ask<Done>({ ...run, port: barePort, token: '', rates: fractions.map((f) => f * txRate) })
  bare.kill()
  child.disconnect()
  const code = await new Promise<number | null>((resolve) => {
    server.removeAllListeners('exit')
    server.once('exit', resolve)
    server.send({ kind: 'results', results: done.results, floor: floor.results } satisfies Results)
  })
  rmSync(dir, { recursive: true, force: true })
  clearTimeout(deadline)
  if (code !== 0) {
    console.error(`bench: the node process exited with ${code}`)
    process.exit(1)
  }
}

/** Seeds `file`: the client's accounts (CIP-8 registration + a deposit each, through the applier) and `extra` deposit-only accounts. */
async function seed(file: string, prepared: Prepared, extra: number): Promise<string> {
  const { openNode } = await import('../src/node/openNode.js')
  const node = await openNode(benchConfig(file))
  let t0 = performance.now()
  const seeds: Promise<unknown>[] = []
  for (const r of prepared.registrations) {
    const account = fromHex(r.account)
    seeds.push(node.sequencer.submitTask({ kind: 'register', account, signature: fromHex(r.signature), key: fromHex(r.key) }))
    seeds.push(node.sequencer.submitTask({ kind: 'deposit', txHash: new Uint8Array(randomBytes(32)), index: 0, owner: account, amount: 1_000_000_000n }))
  }
  await Promise.all(seeds)
  console.log(`seeded ${prepared.registrations.length} registered accounts in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  if (extra > 0) {
    t0 = performance.now()
    for (let i = 0; i < extra; i += 20_000) {
      const batch: Promise<unknown>[] = []
      const hashes = randomBytes(32 * 20_000)
      const owners = randomBytes(28 * 20_000)
      for (let j = 0; j < Math.min(20_000, extra - i); j++) {
        const txHash = new Uint8Array(hashes.buffer, hashes.byteOffset + 32 * j, 32).slice()
        const owner = new Uint8Array(owners.buffer, owners.byteOffset + 28 * j, 28).slice()
        batch.push(node.sequencer.submitTask({ kind: 'deposit', txHash, index: 0, owner, amount: 2_000_000n }))
      }
      await Promise.all(batch)
    }
    console.log(`seeded ${extra} more (deposit-only) accounts through the applier in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  }
  t0 = performance.now()
  const root = toHex(node.sequencer.state.root())
  console.log(`state root over ${f0(node.sequencer.state.accountCount())} accounts in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  console.log(`seeding process RSS ${mb(process.memoryUsage().rss)} (not the measured node: that one starts fresh on the file)`)
  await node.close()
  return root
}

/**
 * The floor: a bare `node:http` server in its own process that answers each POST after appending
 * the body to a file and fdatasync-ing it (what a durable receipt cannot do without), with no
 * SQLite, signatures or state. The same client at the same rates shows the latency this machine
 * gives any such server at that moment.
 */
function bareServer(file: string): void {
  const fd = openSync(file, 'a')
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      writeSync(fd, Buffer.concat(chunks))
      fdatasync(fd, () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 })
        res.end('{}')
      })
    })
  })
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }))
}

/** The measured node, in a fresh process on the seeded file: serves the load, then prints the report. */
async function serve(file: string): Promise<void> {
  // As `lagoon sequencer start` does.
  const { limitHeapGrowth } = await import('../src/node/limitHeapGrowth.js')
  limitHeapGrowth()
  const { openNode } = await import('../src/node/openNode.js')
  const { startServer } = await import('../src/node/startServer.js')
  const t0 = performance.now()
  const node = await openNode(benchConfig(file))
  const openMs = performance.now() - t0
  const gc = (globalThis as { gc?: () => void }).gc
  const root = toHex(node.sequencer.state.root())
  gc?.()
  const mu = process.memoryUsage()
  const rssAtRest = mu.rss
  const server = await startServer(node, '127.0.0.1', 0)
  const token = node.tokens.create('wallet', 'bench').token
  const noPool = { rate: NaN, cpuUs: NaN }
  const ceilingBefore = { one: verifyCeiling(), pool: node.pool ? await poolCeiling(node.pool) : noPool }

  const STAGES = ['verify', 'apply', 'sync', 'total'] as const
  const stageHists = STAGES.map((stage) => node.metrics.histogram('lagoon_submit_stage_seconds', { stage }))
  const samples: { at: number; cpu: number; sys: number; main: number; rss: number; stages: Float64Array[] }[] = []
  let peakMem = process.memoryUsage()
  const sample = (): void => {
    const mem = process.memoryUsage()
    if (mem.rss > peakMem.rss) peakMem = mem
    samples.push({ at: Date.now(), cpu: cpuMs(), sys: process.cpuUsage().system / 1000, main: mainThreadCpuMs(), rss: mem.rss, stages: stageHists.map((h) => h.counts.slice()) })
  }
  sample()
  const sampler = setInterval(sample, 100)
  const loopDelay = monitorEventLoopDelay({ resolution: 1 })
  loopDelay.enable()
  // GC pauses on the node's main thread during the load phases: where the event loop's tail goes.
  const gcPauses = new Map<string, { n: number; ms: number; max: number }>()
  const gcKind = (k: number): string =>
    k === perfConstants.NODE_PERFORMANCE_GC_MINOR ? 'scavenge' : k === perfConstants.NODE_PERFORMANCE_GC_MAJOR ? 'mark-compact' : k === perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL ? 'incremental marking' : 'weak callbacks'
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = gcKind((e as PerformanceEntry & { detail?: { kind: number } }).detail?.kind ?? 0)
      const g = gcPauses.get(kind) ?? { n: 0, ms: 0, max: 0 }
      gcPauses.set(kind, { n: g.n + 1, ms: g.ms + e.duration, max: Math.max(g.max, e.duration) })
    }
  })
  gcObserver.observe({ entryTypes: ['gc'] })
  let session: import('node:inspector').Session | undefined
  if (process.env.LAGOON_BENCH_PROFILE) {
    const inspector = await import('node:inspector')
    session = new inspector.Session()
    session.connect()
    await new Promise((r) => session!.post('Profiler.enable', () => session!.post('Profiler.start', r)))
  }
  const { port } = new URL(server.url)
  const done = await new Promise<Results>((resolve) => {
    process.once('message', (m) => resolve(m as Results))
    process.send!({ kind: 'ready', port: Number(port), token, root } satisfies Ready)
  })
  sample()
  clearInterval(sampler)
  loopDelay.disable()
  gcObserver.disconnect()
  if (session) {
    await new Promise<void>((r) =>
      session!.post('Profiler.stop', (_e, res) => {
        writeFileSync(process.env.LAGOON_BENCH_PROFILE!, JSON.stringify(res.profile))
        r()
      }),
    )
  }
  const ceilingAfter = { one: verifyCeiling(), pool: node.pool ? await poolCeiling(node.pool) : noPool }
  const around = (from: number, to: number) => ({
    a: samples.find((s) => s.at >= from) ?? samples[0]!,
    b: [...samples].reverse().find((s) => s.at <= to) ?? samples.at(-1)!,
  })
  /** Cores a sampled CPU counter (ms) used over a phase: the node's (`cpu`), the kernel's part of it (`sys`), the main thread's (`main`). */
  const cores = (from: number, to: number, counter: 'cpu' | 'sys' | 'main'): number => {
    const { a, b } = around(from, to)
    return b.at > a.at ? (b[counter] - a[counter]) / (b.at - a.at) : NaN
  }
  /** "p50/p99" bucket bounds (ms) of a submit stage over a phase. */
  const stageMs = (from: number, to: number, k: number): string => {
    const { a, b } = around(from, to)
    const diff = b.stages[k]!.map((c, i) => c - a.stages[k]![i]!)
    const ms = (q: number): string => {
      const v = bucketQuantile(diff, q)
      return Number.isNaN(v) ? '-' : v === Infinity ? '>2500' : String(v * 1000)
    }
    return `${ms(0.5)}/${ms(0.99)}`
  }

  // NaN arrives from the client as null (JSON over IPC): a phase with no answers.
  const f2 = (x: number | null): string => (x === null || Number.isNaN(x) ? '-' : x.toFixed(2))
  console.log(
    `node: a fresh process opened the file in ${(openMs / 1000).toFixed(1)} s (tree from ${node.sequencer.state.treeRestoredFrom}); durability: ${opts.durability} ` +
      `(receipt after fdatasync of the WAL: ${opts.durability === 'full'}), verify workers: ${opts.workers} at nice ${opts['verify-nice'] ?? 'default'}, /tx lanes ${opts.lanes}, /txs lanes ${opts['batch-lanes']} × ${opts.batch}`,
  )
  console.log(
    `ed25519 verify ceiling (node:crypto, prepared KeyObject), this run: one core ${f0(ceilingBefore.one)}/s before, ${f0(ceilingAfter.one)}/s after; ` +
      `the node's ${opts.workers}-worker pool ${f0(ceilingBefore.pool.rate)}/s before, ${f0(ceilingAfter.pool.rate)}/s after ` +
      `(CPU per verify through the pool ${ceilingBefore.pool.cpuUs.toFixed(0)}/${ceilingAfter.pool.cpuUs.toFixed(0)} µs; the brief's quiet machine: 14,000/s per core)`,
  )
  const imp = keyImportUs()
  console.log(
    `importing a key the pool has not cached: ${imp.jwk.toFixed(1)} µs as a JWK (the node's way; a verify is ${(1e6 / ceilingAfter.one).toFixed(0)} µs), ${imp.der.toFixed(1)} µs as DER (SPKI)`,
  )
  const verifyCpuUs = (ceilingBefore.pool.cpuUs + ceilingAfter.pool.cpuUs) / 2
  console.log('phase                              tx/s    p50 ms   p99 ms      txs  errors  node CPU  client CPU (cores)  node CPU/tx  ÷ verify CPU  kernel  main thread')
  /** The columns a node phase and a bare-server phase share: name, tx/s, p50, p99, txs, errors. */
  const head = (r: PhaseResult): string =>
    `${r.name.padEnd(32)} ${f0(r.txs / r.seconds).padStart(7)} ${f2(r.p50).padStart(9)} ${f2(r.p99).padStart(8)} ${String(r.txs).padStart(8)} ${String(r.errors).padStart(7)}`
  for (const r of done.results) {
    const rate = r.txs / r.seconds
    const cpu = cores(r.from, r.to, 'cpu')
    const perTx = (cpu * 1e6) / rate
    console.log(
      head(r) +
        `  ${cpu.toFixed(2).padStart(8)}  ${(r.clientCpuMs / (r.seconds * 1000)).toFixed(2).padStart(10)}  ${perTx.toFixed(0).padStart(13)} µs  ${(perTx / verifyCpuUs).toFixed(2).padStart(10)}` +
        `  ${((100 * cores(r.from, r.to, 'sys')) / cpu).toFixed(0).padStart(5)} %  ${cores(r.from, r.to, 'main').toFixed(2).padStart(11)}`,
    )
  }
  for (const r of done.floor) {
    console.log(`${head(r)}  (the floor: a bare node:http server that appends each body to a file and answers after its fdatasync, same client)`)
  }
  // As bench:core does for the core: throughput over the one-core verify ceiling of this run, and
  // that ratio at the brief's quiet-machine ceiling. A projection (it assumes every cost scales with
  // the core's speed), printed beside the measured figure, never instead of it.
  const oneCore = (ceilingBefore.one + ceilingAfter.one) / 2
  const projected = done.results
    .filter((r) => r.name.endsWith(', full load'))
    .map((r) => `${r.name.replace(', full load', '')} ${(r.txs / r.seconds / oneCore).toFixed(2)} × 14,000 = ${f0(((r.txs / r.seconds) * 14_000) / oneCore)} tx/s`)
  console.log(`full load ÷ this run's one-core verify ceiling (${f0(oneCore)}/s), and at the brief's 14,000/s (a projection): ${projected.join('; ')}`)
  console.log(`where a task's time goes, node side (lagoon_submit_stage_seconds; bucket upper bounds, ms, p50/p99): ${STAGES.join(' · ')}`)
  for (const r of done.results) console.log(`  ${r.name.padEnd(32)} ${STAGES.map((_, k) => stageMs(r.from, r.to, k).padStart(12)).join(' ')}`)
  const m = node.metrics
  const groups = m.get('lagoon_group_commits_total')
  console.log(
    `group commits: ${groups} (mean ${(m.get('lagoon_group_tasks_total') / Math.max(1, groups)).toFixed(1)} tasks), WAL syncs: ${m.get('lagoon_syncs_total')}, ` +
      `inline verifies on the applier: ${m.get('lagoon_inline_verifies_total')}`,
  )
  console.log(
    `node event-loop delay over all phases: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`,
  )
  console.log(
    `node GC pauses over all phases: ${[...gcPauses].map(([k, g]) => `${k} ${g.n} (${f0(g.ms)} ms in all, longest ${g.max.toFixed(1)} ms)`).join('; ') || 'none'}`,
  )
  gc?.()
  const parts = (m: NodeJS.MemoryUsage): string => `V8 heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)}, array buffers ${mb(m.arrayBuffers)}, other native ${mb(m.rss - m.heapTotal - m.arrayBuffers)}`
  console.log(
    `node RSS with ${f0(node.sequencer.state.accountCount())} accounts: ${mb(rssAtRest)} at rest after opening (${parts(mu)}; account cache ${mb(node.sequencer.state.cacheBytes)}), ` +
      `peak ${mb(peakMem.rss)} under load (${parts(peakMem)}), ${mb(process.memoryUsage().rss)} after; log seq ${node.sequencer.tip.seq}`,
  )
  await server.stop()
  await node.close()
  process.exit(0)
}

// ---------------------------------------------------------------- entry (last: the helpers above are initialized)

if (opts.help) {
  console.log(HELP)
} else if (opts.serve) {
  await serve(opts.serve)
} else if (opts.floor) {
  bareServer(opts.floor)
} else if (opts.client) {
  let txs: Uint8Array[][] = []
  process.once('disconnect', () => process.exit(0))
  process.on('message', (m: Prepare | Run) => {
    if (m.kind === 'prepare') {
      void prepare(m).then((p) => {
        txs = p.txs
        process.send!(p.prepared)
      })
    } else {
      void runClient(m, txs).then((results) => {
        process.send!({ kind: 'done', results } satisfies Done)
      })
    }
  })
} else {
  await main()
}
