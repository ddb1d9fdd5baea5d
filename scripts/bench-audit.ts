/**
 * `npm run bench:audit`: the auditor's throughput on a generated log (registrations, deposits, then
 * signed transfers), checked end to end (hash chain, every signature, replay) with two verifiers.
 * AUDIT_BENCH_TASKS sets the number of transfers (default 100,000).
 */
import { createPrivateKey, sign } from 'node:crypto'
import { strict as assert } from 'node:assert'
import { cpus } from 'node:os'
import { toHex } from '../sdk/src/core/bytes.js'
import { loadBlake2b256 } from '../sdk/src/core/crypto/blake2b256.js'
import { GENESIS_LOG_HEAD, nextLogHead } from '../sdk/src/core/log/nextLogHead.js'
import { encodeTask } from '../sdk/src/core/task/encodeTask.js'
import type { ApplyContext } from '../sdk/src/core/state/types.js'
import { encodeSignedTx, encodeTxBody } from '../sdk/src/core/tx/encodeTx.js'
import type { TxBody } from '../sdk/src/core/tx/types.js'
import { createNodeEd25519Verify } from '../sdk/src/node/createNodeEd25519Verify.js'
import { auditLog, pureBatchVerifier, type FetchLogPage, type LogEntryBytes } from '../sdk/src/index.js'
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

async function main() {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores; node ${process.version}`)
  const hash = await loadBlake2b256()
  const ctx: ApplyContext = { params: PARAMS, hash, verifyEd25519: createNodeEd25519Verify() }
  const t0 = Date.now()
  const entries = await generate(ctx)
  const genMs = Date.now() - t0
  const fetchPage: FetchLogPage = async (from, limit) => {
    const page = entries.slice(from - 1, from - 1 + limit)
    return { entries: page, nextFrom: from + page.length, tipSeq: entries.length }
  }
  const verifier = createWorkerBatchVerifier({ workers: 2 })
  try {
    // The verify ceiling in the same run, for the ratio.
    const verify = createNodeEd25519Verify()
    const probe = user(1)
    const probeKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, probe.l2Secret]), format: 'der', type: 'pkcs8' })
    const msg = hash(new Uint8Array([1]))
    const sig = new Uint8Array(sign(null, msg, probeKey))
    let t = performance.now()
    for (let i = 0; i < 5000; i++) verify(probe.l2Key, msg, sig)
    const ceiling = Math.round(5000 / ((performance.now() - t) / 1000))
    console.log(`audit of ${entries.length.toLocaleString('en-US')} tasks (${TRANSFERS.toLocaleString('en-US')} signed transfers; log generated in ${genMs} ms)`)
    console.log(`ed25519 verify ceiling, one core, same run: ${ceiling.toLocaleString('en-US')}/s`)
    console.log('| verifier | tasks/s | signatures checked | ms |')
    console.log('| --- | --- | --- | --- |')
    let root = ''
    for (const [name, v] of [
      ['2 worker threads, node:crypto', verifier],
      ['main thread, node:crypto', pureBatchVerifier(createNodeEd25519Verify())],
    ] as const) {
      t = performance.now()
      const r = await auditLog({ fetchPage, ctx, verifier: v, pageSize: 5000 })
      // A benchmark of a wrong audit is worthless: check it did the whole job.
      assert.equal(r.ok, true)
      assert.equal(r.seq, entries.length)
      assert.equal(r.head, toHex(entries[entries.length - 1]!.head))
      assert.equal(r.signaturesChecked, TRANSFERS + USERS)
      if (root) assert.equal(r.root, root)
      root = r.root
      console.log(`| ${name} | ${r.tasksPerSecond.toLocaleString('en-US')} | ${r.signaturesChecked.toLocaleString('en-US')} | ${r.elapsedMs} |`)
    }
  } finally {
    await verifier.close()
  }
}

await main()
