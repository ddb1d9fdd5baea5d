/**
 * HTTP benchmark of the sequencer: concurrent clients on loopback submit signed transfers.
 *
 *   npx tsx sequencer/bench/http.ts [--accounts 2000] [--per-account 80] [--lanes 128] [--seconds 8]
 *                                   [--workers 2] [--durability full|normal] [--batch 64] [--extra-accounts 0]
 *
 * The node (HTTP server, applier, SQLite, verify workers) runs in this process; the load generator
 * runs in a forked child process (so the two share the machine's cores, as they would on one box).
 * Prints: the ed25519 verify ceiling measured in this run, sustained tx/s and p50/p99 submit→receipt
 * at full load (closed loop, `lanes` in flight) and at half of that rate (open loop), the same through
 * `POST /txs`, and the node's RSS.
 */
import { fork } from 'node:child_process'
import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto'
import { Agent, request } from 'node:http'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { CML } from '@lucid-evolution/lucid'
import { concatBytes, toHex } from '../../sdk/src/core/bytes.js'
import { encodeCanonical } from '../../sdk/src/core/cbor/canonical.js'
import { loadBlake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { ed25519PublicKey } from '../../sdk/src/core/crypto/ed25519.js'
import { signKeyAuthorization } from '../../sdk/src/core/registration/signKeyAuthorization.js'
import { encodeSignedTx, encodeTxBody } from '../../sdk/src/core/tx/encodeTx.js'
import { openNode } from '../src/node/openNode.js'
import { startServer } from '../src/node/startServer.js'

const { values: opts } = parseArgs({
  options: {
    client: { type: 'boolean', default: false },
    accounts: { type: 'string', default: '2000' },
    'per-account': { type: 'string', default: '80' },
    lanes: { type: 'string', default: '128' },
    seconds: { type: 'string', default: '8' },
    workers: { type: 'string', default: '2' },
    durability: { type: 'string', default: 'full' },
    batch: { type: 'string', default: '64' },
    'extra-accounts': { type: 'string', default: '0' },
  },
})

const INSTANCE = new Uint8Array(28).fill(0x11)
const TERMS = new Uint8Array(32).fill(0x22)
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex')

interface BenchAccount {
  account: string
  secret: string
}
type ToClient = { url: string; token: string; accounts: BenchAccount[]; perAccount: number; lanes: number; seconds: number; batch: number }
type PhaseResult = { name: string; txs: number; seconds: number; p50: number; p99: number; errors: number; inFlight: number }

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN
  const s = Float64Array.from(xs).sort()
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

// ---------------------------------------------------------------- client (child process)
async function runClient(cfg: ToClient): Promise<PhaseResult[]> {
  const hash = await loadBlake2b256()
  const agent = new Agent({ keepAlive: true, maxSockets: cfg.lanes + 8 })
  const { hostname, port } = new URL(cfg.url)
  const post = (path: string, body: Uint8Array): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        { agent, hostname, port, path, method: 'POST', headers: { 'content-type': 'application/cbor', 'content-length': body.length, authorization: `Bearer ${cfg.token}` } },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        },
      )
      req.on('error', reject)
      req.end(body)
    })

  // Pre-sign every account's transfers (nonce 0..perAccount-1), so signing costs nothing while measuring.
  const accounts = cfg.accounts.map((a) => ({ id: Buffer.from(a.account, 'hex'), key: createPrivateKey({ key: Buffer.concat([PKCS8, Buffer.from(a.secret, 'hex')]), format: 'der', type: 'pkcs8' }) as KeyObject }))
  const txs: Uint8Array[][] = accounts.map((a, i) => {
    const to = accounts[(i + 1) % accounts.length]!.id
    return Array.from({ length: cfg.perAccount }, (_, nonce) => {
      const body = { instance: INSTANCE, signer: a.id, nonce, fee: 0n, actions: [{ type: 'transfer' as const, to, amount: 1n }] }
      return encodeSignedTx(body, new Uint8Array(sign(null, hash(encodeTxBody(body)), a.key)))
    })
  })
  const next = new Int32Array(accounts.length)
  const free: number[] = accounts.map((_, i) => i)
  const take = (): number | undefined => {
    while (free.length > 0) {
      const i = free.shift()!
      if (next[i]! < cfg.perAccount) return i
    }
    return undefined
  }

  const results: PhaseResult[] = []
  const closedLoop = async (name: string, path: '/tx' | '/txs', per: number): Promise<PhaseResult> => {
    const lat: number[] = []
    let done = 0
    let errors = 0
    const t0 = performance.now()
    const end = t0 + cfg.seconds * 1000
    const lane = async () => {
      while (performance.now() < end) {
        const picked: number[] = []
        for (let k = 0; k < per; k++) {
          const i = take()
          if (i === undefined) break
          picked.push(i)
        }
        if (picked.length === 0) return
        const items = picked.map((i) => txs[i]![next[i]!++]!)
        const body = path === '/tx' ? items[0]! : encodeCanonical(items)
        const s = performance.now()
        const status = await post(path, body)
        lat.push(performance.now() - s)
        if (status === 200) done += picked.length
        else errors += picked.length
        free.push(...picked)
      }
    }
    await Promise.all(Array.from({ length: cfg.lanes }, lane))
    return { name, txs: done, seconds: (performance.now() - t0) / 1000, p50: pct(lat, 50), p99: pct(lat, 99), errors, inFlight: cfg.lanes * per }
  }
  const openLoop = async (name: string, rate: number): Promise<PhaseResult> => {
    const lat: number[] = []
    let done = 0
    let errors = 0
    let sent = 0
    const pending: Promise<void>[] = []
    const t0 = performance.now()
    const end = t0 + cfg.seconds * 1000
    while (performance.now() < end) {
      // Send what the schedule says is due (rate per second), on accounts with no tx in flight.
      const due = Math.floor(((performance.now() - t0) / 1000) * rate) - sent
      for (let k = 0; k < due; k++) {
        const i = take()
        if (i === undefined) break
        sent++
        const s = performance.now()
        pending.push(
          post('/tx', txs[i]![next[i]!++]!).then((status) => {
            lat.push(performance.now() - s)
            if (status === 200) done++
            else errors++
            free.push(i)
          }),
        )
      }
      await new Promise((r) => setTimeout(r, 1))
    }
    await Promise.all(pending)
    return { name, txs: done, seconds: (performance.now() - t0) / 1000, p50: pct(lat, 50), p99: pct(lat, 99), errors, inFlight: 0 }
  }

  await closedLoop('warm-up', '/tx', 1).catch(() => undefined)
  results.length = 0
  const full = await closedLoop('POST /tx, full load', '/tx', 1)
  results.push(full)
  results.push(await openLoop('POST /tx, half load', Math.max(1, Math.floor(full.txs / full.seconds / 2))))
  results.push(await closedLoop(`POST /txs (${cfg.batch}/request), full load`, '/txs', cfg.batch))
  agent.destroy()
  return results
}

if (opts.client) {
  process.on('message', (cfg: ToClient) => {
    void runClient(cfg).then((r) => {
      process.send!(r)
      process.exit(0)
    })
  })
} else {
  await main()
}

// ---------------------------------------------------------------- node (this process)
function verifyCeiling(ms = 1000): number {
  const secret = randomBytes(32)
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8, secret]), format: 'der', type: 'pkcs8' })
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

async function main(): Promise<void> {
  const N = Number(opts.accounts)
  const { mkdtempSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const db = join(mkdtempSync(join(tmpdir(), 'lagoon-bench-')), 'node.db')
  const operator = new Uint8Array(28).fill(0xee)
  const node = await openNode({
    db,
    host: '127.0.0.1',
    port: 0,
    open: false,
    durability: opts.durability === 'normal' ? 'normal' : 'full',
    verifyWorkers: Number(opts.workers),
    maxGroup: 4096,
    maxQueue: 1_000_000,
    instance: toHex(INSTANCE),
    operator: toHex(operator),
    terms: toHex(TERMS),
  })
  const ceiling = verifyCeiling()
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`)
  console.log(`ed25519 verify ceiling (node:crypto, prepared KeyObject): ${Math.round(ceiling)}/s per core, ~${Math.round(ceiling * cpus().length)}/s on ${cpus().length} cores`)

  // Seed: N registered accounts (CIP-8, through the same applier) with a deposit each.
  let t0 = performance.now()
  const accounts: BenchAccount[] = []
  const seeds: Promise<unknown>[] = []
  for (let i = 0; i < N; i++) {
    const sk = CML.PrivateKey.generate_ed25519()
    const account = sk.to_public().hash().to_raw_bytes()
    const address = toHex(concatBytes(new Uint8Array([0x60]), account))
    const l2Secret = new Uint8Array(randomBytes(32))
    const signed = signKeyAuthorization(address, { instance: INSTANCE, account, l2Key: ed25519PublicKey(l2Secret), terms: TERMS, epoch: 0 }, sk.to_bech32())
    seeds.push(node.sequencer.submitTask({ kind: 'register', account, ...signed }))
    seeds.push(node.sequencer.submitTask({ kind: 'deposit', txHash: new Uint8Array(randomBytes(32)), index: 0, owner: account, amount: 1_000_000_000n }))
    accounts.push({ account: toHex(account), secret: toHex(l2Secret) })
  }
  await Promise.all(seeds)
  console.log(`seeded ${N} registered accounts in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  const extra = Number(opts['extra-accounts'])
  if (extra > 0) {
    t0 = performance.now()
    for (let i = 0; i < extra; i += 10_000) {
      const batch: Promise<unknown>[] = []
      for (let j = i; j < Math.min(extra, i + 10_000); j++) {
        batch.push(node.sequencer.submitTask({ kind: 'deposit', txHash: new Uint8Array(randomBytes(32)), index: 0, owner: new Uint8Array(randomBytes(28)), amount: 2_000_000n }))
      }
      await Promise.all(batch)
    }
    node.sequencer.state.root()
    console.log(`seeded ${extra} more (deposit-only) accounts in ${((performance.now() - t0) / 1000).toFixed(1)} s; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`)
  }
  node.sequencer.state.root()

  const server = await startServer(node, '127.0.0.1', 0)
  const token = node.tokens.create('wallet', 'bench').token
  const child = fork(new URL(import.meta.url).pathname, ['--client'], { stdio: 'inherit' })
  const rssSamples: number[] = []
  const sampler = setInterval(() => rssSamples.push(process.memoryUsage().rss), 250)
  let session: import('node:inspector').Session | undefined
  if (process.env.LAGOON_BENCH_PROFILE) {
    const inspector = await import('node:inspector')
    session = new inspector.Session()
    session.connect()
    await new Promise((r) => session!.post('Profiler.enable', () => session!.post('Profiler.start', r)))
  }
  const results = await new Promise<PhaseResult[]>((resolve, reject) => {
    child.once('message', (m) => resolve(m as PhaseResult[]))
    child.once('error', reject)
    child.send({ url: server.url, token, accounts, perAccount: Number(opts['per-account']), lanes: Number(opts.lanes), seconds: Number(opts.seconds), batch: Number(opts.batch) } satisfies ToClient)
  })
  clearInterval(sampler)
  if (session) {
    const { writeFileSync } = await import('node:fs')
    await new Promise<void>((r) =>
      session!.post('Profiler.stop', (_e, res) => {
        writeFileSync(process.env.LAGOON_BENCH_PROFILE!, JSON.stringify(res.profile))
        r()
      }),
    )
  }
  console.log(`durability: ${opts.durability} (fsync per group commit: ${opts.durability === 'full'}), verify workers: ${opts.workers}, lanes: ${opts.lanes}`)
  console.log('phase                                   tx/s     p50 ms   p99 ms   txs      errors')
  for (const r of results) {
    console.log(
      `${r.name.padEnd(38)} ${(r.txs / r.seconds).toFixed(0).padStart(7)} ${r.p50.toFixed(2).padStart(9)} ${r.p99.toFixed(2).padStart(8)}   ${String(r.txs).padEnd(8)} ${r.errors}`,
    )
  }
  const m = node.metrics
  const groups = m.get('lagoon_group_commits_total')
  console.log(`group commits: ${groups}, mean tasks per commit ${(m.get('lagoon_group_tasks_total') / Math.max(1, groups)).toFixed(1)}, inline verifies on the applier: ${m.get('lagoon_inline_verifies_total')}`)
  console.log(`node RSS: peak ${(Math.max(...rssSamples) / 2 ** 20).toFixed(0)} MB, now ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB; accounts ${node.sequencer.state.accountCount()}; log seq ${node.sequencer.tip.seq}`)
  await server.stop()
}
