/**
 * `npm run bench:relay`: a relay's catch-up rate. A real node (SQLite file, HTTP on loopback) is filled
 * with registrations, deposits and RELAY_BENCH_TASKS signed transfers (default 50,000); then a relay
 * starts on an empty file and follows it over HTTP (pages of `GET /log`): every entry's chain and
 * signature checked, replayed with the core into the relay's own SQLite (`SqliteState`, `TaskLog`),
 * a page a transaction. Reported: tasks/s until the relay's tip and root equal the node's, against the
 * bare verify ceiling of the same threads measured in the same run.
 */
import { createPrivateKey, sign } from 'node:crypto'
import { strict as assert } from 'node:assert'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { loadBlake2b256 } from '../sdk/src/core/crypto/blake2b256.js'
import { encodeSignedTx, encodeTxBody } from '../sdk/src/core/tx/encodeTx.js'
import { decodeSignedTx } from '../sdk/src/core/tx/decodeSignedTx.js'
import type { TxBody } from '../sdk/src/core/tx/types.js'
import { toHex } from '../sdk/src/core/bytes.js'
import { DEFAULT_LIMITS } from '../sdk/src/core/limits.js'
import { createWorkerBatchVerifier } from '../sdk/src/audit/node/createWorkerBatchVerifier.js'
import { INSTANCE, OPERATOR, TERMS, keyTask, l1Hash, user } from '../sdk/test/support/world.js'
import { openNode } from '../sequencer/src/node/openNode.js'
import { startServer } from '../sequencer/src/node/startServer.js'
import { startRelay } from '../relay/src/index.js'

const TRANSFERS = Number(process.env.RELAY_BENCH_TASKS ?? 50_000)
const USERS = 200
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex')
const fmt = (n: number) => n.toLocaleString('en-US')

async function main() {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; node ${process.version}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  const dir = mkdtempSync(join(tmpdir(), 'lagoon-bench-relay-'))
  const hash = await loadBlake2b256()
  const node = await openNode({
    db: join(dir, 'node.db'),
    host: '127.0.0.1',
    port: 0,
    open: true,
    durability: 'normal',
    verifyWorkers: 2,
    maxGroup: 4096,
    maxQueue: 1_000_000,
    instance: toHex(INSTANCE),
    operator: toHex(OPERATOR.account),
    terms: toHex(TERMS),
  })
  const server = await startServer(node, '127.0.0.1', 0)
  let relayStop: (() => Promise<void>) | undefined
  const verifier = createWorkerBatchVerifier({ workers: 2 })
  try {
    const users = Array.from({ length: USERS }, (_, i) => user(i + 1))
    const keys = users.map((u) => createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, u.l2Secret]), format: 'der', type: 'pkcs8' }))
    let t = Date.now()
    await Promise.all(users.map((u) => node.sequencer.submitTask(keyTask(u))))
    await Promise.all(users.map((u, i) => node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(i), index: 0, owner: u.account, amount: 1_000_000_000n })))
    const nonces = new Array<number>(USERS).fill(0)
    const signed: Uint8Array[] = []
    for (let n = 0; n < TRANSFERS; n++) {
      const i = n % USERS
      const body: TxBody = { instance: INSTANCE, signer: users[i]!.account, nonce: nonces[i]!++, fee: 0n, actions: [{ type: 'transfer', to: users[(i + 7) % USERS]!.account, amount: 1n + BigInt(n % 1000) }] }
      signed.push(encodeSignedTx(body, new Uint8Array(sign(null, hash(encodeTxBody(body)), keys[i]!))))
    }
    for (let i = 0; i < signed.length; i += 4096) await Promise.all(signed.slice(i, i + 4096).map((b) => node.sequencer.submitTx(b)))
    const tip = node.sequencer.tip.seq
    const nodeRoot = toHex(node.sequencer.state.root())
    console.log(`node: ${fmt(tip)} tasks (${USERS} registrations, ${USERS} deposits, ${fmt(TRANSFERS)} signed transfers) applied in ${fmt(Date.now() - t)} ms`)

    // The bare ceiling of the same threads, on a sample of the same signatures.
    const sample = signed.slice(0, Math.min(signed.length, 50_000)).map((b) => decodeSignedTx(b, hash, DEFAULT_LIMITS))
    const keyOf = new Map(users.map((u) => [toHex(u.account), u.l2Key]))
    const ceiling = async () => {
      const b = { count: sample.length, keys: new Uint8Array(32 * sample.length), messages: new Uint8Array(32 * sample.length), signatures: new Uint8Array(64 * sample.length) }
      sample.forEach((s, j) => {
        b.keys.set(keyOf.get(toHex(s.body.signer))!, 32 * j)
        b.messages.set(s.id, 32 * j)
        b.signatures.set(s.signature, 64 * j)
      })
      const t1 = performance.now()
      const ok = await verifier.verifyBatch(b)
      assert.equal(ok.reduce((a, x) => a + x, 0), sample.length)
      return Math.round(sample.length / ((performance.now() - t1) / 1000))
    }
    const before = await ceiling()

    t = Date.now()
    const params = { instance: toHex(INSTANCE), operator: toHex(OPERATOR.account), terms: toHex(TERMS) } // this node has no layer 1, so no GET /instance
    const relay = await startRelay({ from: server.url, db: join(dir, 'relay.db'), port: 0, verifyWorkers: 2, pollMs: 200, params })
    relayStop = relay.stop
    while (relay.relay.status().seq < tip) await new Promise((r) => setTimeout(r, 20))
    const ms = Date.now() - t
    const relayRoot = toHex(relay.relay.state.root())
    assert.equal(relayRoot, nodeRoot, 'the relay must end at the node’s root')
    assert.equal(relay.relay.status().status === 'diverged', false)
    const after = await ceiling()
    const rate = Math.round((tip * 1000) / ms)
    const mean = (before + after) / 2
    console.log('| relay catch-up over HTTP (GET /log pages; chain, every signature, replay into SQLite) | tasks/s | ms |')
    console.log('| --- | --- | --- |')
    console.log(`| ${fmt(tip)} tasks, 2 verify threads | ${fmt(rate)} | ${fmt(ms)} |`)
    console.log('')
    console.log(`bare verify ceiling of 2 worker threads, same run, before / after: ${fmt(before)} / ${fmt(after)} verifies/s`)
    console.log(`catch-up tasks/s ÷ that ceiling (mean): ${(rate / mean).toFixed(3)}; × the brief's quiet 2 × 14,000/s: ${fmt(Math.round((rate / mean) * 28_000))} tasks/s`)
    console.log(`root after catch-up equals the node's: ${relayRoot}`)
    console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
  } finally {
    await relayStop?.()
    await server.stop()
    await verifier.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
