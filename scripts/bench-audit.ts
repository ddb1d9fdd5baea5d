/**
 * `npm run bench:audit`: the auditor's throughput on a generated log (registrations, deposits, then
 * signed transfers), checked end to end (hash chain, every signature, replay) with two verifiers.
 * AUDIT_BENCH_TASKS sets the number of transfers (default 100,000). The bare verify ceiling of the same
 * threads is measured in the same run, before and after, for the ratio (the machine is shared).
 * Above 200,000 transfers only the worker-thread verifier runs (AUDIT_BENCH_MAIN=1 adds the main thread).
 */
import { createPrivateKey, sign } from 'node:crypto'
import { strict as assert } from 'node:assert'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cpus, loadavg, totalmem } from 'node:os'
import { toHex } from '../sdk/src/core/bytes.js'
import { loadBlake2b256 } from '../sdk/src/core/crypto/blake2b256.js'
import { GENESIS_LOG_HEAD, nextLogHead } from '../sdk/src/core/log/nextLogHead.js'
import { encodeTask } from '../sdk/src/core/task/encodeTask.js'
import type { ApplyContext } from '../sdk/src/core/state/types.js'
import { encodeSignedTx, encodeTxBody } from '../sdk/src/core/tx/encodeTx.js'
import type { TxBody } from '../sdk/src/core/tx/types.js'
import { createNodeEd25519Verify } from '../sdk/src/node/createNodeEd25519Verify.js'
import { auditLog, createLagoonClient, decodeTask, encodeCanonical, getLogPage, pureBatchVerifier, type BatchVerifier, type FetchLogPage, type LogEntryBytes, type Task, type VerifyBatch } from '../sdk/src/index.js'
import { createWorkerBatchVerifier } from '../sdk/src/audit/node/createWorkerBatchVerifier.js'
import { INSTANCE, PARAMS, keyTask, l1Hash, user } from '../sdk/test/support/world.js'

const TRANSFERS = Number(process.env.AUDIT_BENCH_TASKS ?? 100_000)
const USERS = 200
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex')

/** A log of USERS registrations and deposits, then TRANSFERS signed transfers, built in memory. */
async function generate(ctx: ApplyContext): Promise<LogEntryBytes[]> {
  const users = Array.from({ length: USERS }, (_, i) => user(i + 1))
  const keys = users.map((u) => createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, u.l2Secret]), format: 'der', type: 'pkcs8' }))
  const entries: LogEntryBytes[] = []
  let head = GENESIS_LOG_HEAD
  const push = (bytes: Uint8Array) => {
    const seq = entries.length + 1
    head = nextLogHead(ctx.hash, head, seq, bytes)
    entries.push({ seq, bytes, head })
  }
  users.forEach((u) => push(encodeTask(keyTask(u))))
  users.forEach((u, i) => push(encodeTask({ kind: 'deposit', txHash: l1Hash(i), index: 0, owner: u.account, amount: 1_000_000_000n })))
  const nonces = new Array<number>(USERS).fill(0)
  for (let n = 0; n < TRANSFERS; n++) {
    const i = n % USERS
    const body: TxBody = { instance: INSTANCE, signer: users[i]!.account, nonce: nonces[i]!++, fee: 0n, actions: [{ type: 'transfer', to: users[(i + 7) % USERS]!.account, amount: 1n + BigInt(n % 1000) }] }
    const id = ctx.hash(encodeTxBody(body))
    const signed = encodeSignedTx(body, new Uint8Array(sign(null, id, keys[i]!)))
    const bytes = new Uint8Array(2 + signed.length)
    bytes[0] = 0x82
    bytes.set(signed, 2)
    push(bytes)
  }
  return entries
}

/** Bare verify throughput of `verifier` over the log's signatures, batches of 5,000 kept two in flight (as the audit does). */
async function bareVerify(verifier: BatchVerifier, entries: readonly LogEntryBytes[], keyOf: Map<string, Uint8Array>, ctx: ApplyContext, limit: number): Promise<number> {
  const batches: VerifyBatch[] = []
  let n = 0
  for (let i = 0; i < entries.length && n < limit; i += 5000) {
    const slice = entries.slice(i, i + 5000)
    const txs = slice.map((e) => decodeTask(e.bytes, ctx.hash, ctx.params.limits)).filter((t): t is Extract<Task, { kind: 'tx' }> => t.kind === 'tx')
    const b = { count: txs.length, keys: new Uint8Array(32 * txs.length), messages: new Uint8Array(32 * txs.length), signatures: new Uint8Array(64 * txs.length) }
    txs.forEach((t, j) => {
      b.keys.set(keyOf.get(toHex(t.tx.body.signer))!, 32 * j)
      b.messages.set(t.tx.id, 32 * j)
      b.signatures.set(t.tx.signature, 64 * j)
    })
    batches.push(b)
    n += txs.length
  }
  const t = performance.now()
  let ok = 0
  let inFlight: Promise<Uint8Array> | undefined
  for (const b of batches) {
    const next = verifier.verifyBatch(b)
    if (inFlight) ok += (await inFlight).reduce((a, x) => a + x, 0)
    inFlight = next
  }
  if (inFlight) ok += (await inFlight).reduce((a, x) => a + x, 0)
  assert.equal(ok, n)
  return Math.round(n / ((performance.now() - t) / 1000))
}

function oneCoreVerify(ctx: ApplyContext): number {
  const verify = createNodeEd25519Verify()
  const probe = user(1)
  const probeKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, probe.l2Secret]), format: 'der', type: 'pkcs8' })
  const msg = ctx.hash(new Uint8Array([1]))
  const sig = new Uint8Array(sign(null, msg, probeKey))
  const t = performance.now()
  for (let i = 0; i < 5000; i++) verify(probe.l2Key, msg, sig)
  return Math.round(5000 / ((performance.now() - t) / 1000))
}

const fmt = (n: number) => n.toLocaleString('en-US')

async function main() {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; node ${process.version}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  const hash = await loadBlake2b256()
  const ctx: ApplyContext = { params: PARAMS, hash, verifyEd25519: createNodeEd25519Verify() }
  const t0 = Date.now()
  const entries = await generate(ctx)
  const genMs = Date.now() - t0
  const keyOf = new Map(Array.from({ length: USERS }, (_, i) => [toHex(user(i + 1).account), user(i + 1).l2Key] as const))
  const fetchPage: FetchLogPage = async (from, limit) => {
    const page = entries.slice(from - 1, from - 1 + limit)
    return { entries: page, nextFrom: from + page.length, tipSeq: entries.length }
  }
  const verifier = createWorkerBatchVerifier({ workers: 2 })
  try {
    console.log(`log: ${fmt(entries.length)} tasks (${fmt(USERS)} registrations, ${fmt(USERS)} deposits, ${fmt(TRANSFERS)} signed transfers), generated in ${fmt(genMs)} ms`)
    const sample = Math.min(TRANSFERS, 20_000)
    const before = { one: oneCoreVerify(ctx), two: await bareVerify(verifier, entries, keyOf, ctx, sample) }
    const rows: string[] = []
    let root = ''
    // What `lagoon audit` sees, minus the network: the same pages served over HTTP on loopback in the
    // node's wire format (CBOR [* [seq, bytes, head]]), fetched and decoded by the SDK client.
    const server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x')
      const from = Number(u.searchParams.get('from') ?? 1)
      const limit = Math.min(10_000, Number(u.searchParams.get('limit') ?? 1000))
      const page = entries.slice(from - 1, from - 1 + limit)
      const body = encodeCanonical(page.map((e) => [e.seq, e.bytes, e.head]))
      res.writeHead(200, { 'content-type': 'application/cbor', 'lagoon-next-from': String(from + page.length), 'lagoon-log-seq': String(entries.length) }).end(body)
    })
    await new Promise<void>((d) => server.listen(0, '127.0.0.1', d))
    const client = createLagoonClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
    const overHttp: FetchLogPage = (from, limit) => getLogPage(client, { from, limit })
    // On a big log the HTTP variant runs on the first 200,000 entries (its cost is per entry).
    const httpTo = Math.min(entries.length, 200_000)
    const variants: [string, BatchVerifier, FetchLogPage, number][] = [
      ['in process, 2 worker threads', verifier, fetchPage, entries.length],
      [`over HTTP (loopback), 2 worker threads${httpTo < entries.length ? `, first ${fmt(httpTo)} entries` : ''}`, verifier, overHttp, httpTo],
    ]
    if (TRANSFERS <= 200_000 || process.env.AUDIT_BENCH_MAIN) variants.push(['in process, main thread only', pureBatchVerifier(createNodeEd25519Verify()), fetchPage, entries.length])
    let workersSigRate = 0
    for (const [name, v, pages, to] of variants) {
      const r = await auditLog({ fetchPage: pages, ctx, verifier: v, pageSize: 5000, to })
      // A benchmark of a wrong audit is worthless: check it did the whole job.
      assert.equal(r.ok, true)
      assert.equal(r.seq, to)
      assert.equal(r.head, toHex(entries[to - 1]!.head))
      if (to === entries.length) {
        assert.equal(r.signaturesChecked, TRANSFERS + USERS)
        if (root) assert.equal(r.root, root)
        root = r.root
      }
      const sigRate = Math.round((r.signaturesChecked * 1000) / r.elapsedMs)
      if (!workersSigRate) workersSigRate = sigRate
      rows.push(`| ${name} | ${fmt(r.tasksPerSecond)} | ${fmt(sigRate)} | ${fmt(r.signaturesChecked)} | ${fmt(r.elapsedMs)} |`)
      console.log(`(done: ${rows[rows.length - 1]}; load average ${loadavg()[0]!.toFixed(2)})`)
    }
    const after = { one: oneCoreVerify(ctx), two: await bareVerify(verifier, entries, keyOf, ctx, sample) }
    console.log('| audit (chain + every signature + replay) | tasks/s | signatures/s | signatures checked | ms |')
    console.log('| --- | --- | --- | --- | --- |')
    for (const r of rows) console.log(r)
    console.log('')
    console.log(`bare ed25519 verify ceiling, same run (node:crypto, prepared keys), before / after the audits:`)
    console.log(`  one core: ${fmt(before.one)} / ${fmt(after.one)} verifies/s; the 2 worker threads on the log's own signatures (${fmt(sample)}): ${fmt(before.two)} / ${fmt(after.two)} verifies/s`)
    const ceiling = (before.two + after.two) / 2
    console.log(`audit signatures/s (in process, 2 workers) ÷ the 2-thread verify ceiling (mean of before/after): ${(workersSigRate / ceiling).toFixed(3)}`)
    console.log(`that ratio × the brief's quiet-machine ceiling of 2 × 14,000 verifies/s: ${fmt(Math.round((workersSigRate / ceiling) * 28_000))} signatures/s`)
    console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
    server.close()
  } finally {
    await verifier.close()
  }
}

await main()
