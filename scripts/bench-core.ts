/**
 * `npm run bench:core`: the protocol core's throughput on this machine (one core, one process).
 * Prints the figures that docs/benchmarks.md records:
 *  - decode + apply (with ed25519 verification) + commit + log head, signed transfers/s;
 *  - the ed25519 verify ceiling measured in the same run;
 *  - encode / decode rates;
 *  - the state-tree figures from scripts/bench/merkle.ts (root update for 10k touched accounts in a
 *    1,000,000-account tree, …).
 * Usage: npm run bench:core [-- --txs 40000 --accounts 2000 --skip-merkle]
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { loadBlake2b256 } from '../sdk/src/core/crypto/blake2b256.js'
import { ed25519PublicKey } from '../sdk/src/core/crypto/ed25519.js'
import { DEFAULT_LIMITS } from '../sdk/src/core/limits.js'
import { GENESIS_LOG_HEAD, nextLogHead } from '../sdk/src/core/log/nextLogHead.js'
import { MemoryState } from '../sdk/src/core/state/MemoryState.js'
import { apply } from '../sdk/src/core/state/apply.js'
import type { ApplyContext } from '../sdk/src/core/state/types.js'
import { encodeTask } from '../sdk/src/core/task/encodeTask.js'
import { decodeSignedTx } from '../sdk/src/core/tx/decodeSignedTx.js'
import { encodeSignedTx, encodeTxBody } from '../sdk/src/core/tx/encodeTx.js'
import type { TxBody } from '../sdk/src/core/tx/types.js'
import { createNodeEd25519Verify } from '../sdk/src/node/createNodeEd25519Verify.js'
import { benchMerkle } from './bench/merkle.js'

const { values: opts } = parseArgs({
  options: {
    txs: { type: 'string', default: '40000' },
    accounts: { type: 'string', default: '2000' },
    'skip-merkle': { type: 'boolean', default: false },
  },
})
const TXS = Number(opts.txs)
const ACCOUNTS = Number(opts.accounts)

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const privateKeyObject = (seed: Uint8Array): KeyObject =>
  createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' })

function rate(n: number, ms: number): string {
  return Math.round((n / ms) * 1000).toLocaleString('en-US')
}

async function main() {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; node ${process.version}`)
  const hash = await loadBlake2b256()
  const instance = new Uint8Array(28).fill(0x11)
  const operator = new Uint8Array(28).fill(0xee)
  const ctx: ApplyContext = {
    params: { instance, operator, terms: new Uint8Array(32), limits: DEFAULT_LIMITS },
    hash,
    verifyEd25519: createNodeEd25519Verify(),
  }

  // Setup (not timed): accounts with keys and balances written straight into the state.
  process.stdout.write(`setup: ${ACCOUNTS} accounts, ${TXS} signed transfers… `)
  const users = Array.from({ length: ACCOUNTS }, (_, i) => {
    const id = hash(new Uint8Array([i & 0xff, i >> 8, 1])).subarray(0, 28)
    const seed = hash(new Uint8Array([i & 0xff, i >> 8, 2]))
    return { id, seed, key: privateKeyObject(seed), pub: ed25519PublicKey(seed), nonce: 0 }
  })
  const seedState = () => {
    const s = new MemoryState(hash)
    s.commit(
      users.map((u, index) => ({
        type: 'account' as const,
        created: true,
        account: { id: u.id, index, l2Key: u.pub, keyEpoch: 1, balance: 10n ** 15n, pendingExit: 0n, nonce: 0, recordCount: 0 },
      })),
    )
    s.root()
    return s
  }
  const txs: Uint8Array[] = []
  for (let i = 0; i < TXS; i++) {
    const from = users[i % ACCOUNTS]!
    const to = users[(i * 7 + 1) % ACCOUNTS]!
    const body: TxBody = { instance, signer: from.id, nonce: from.nonce++, fee: 1000n, actions: [{ type: 'transfer', to: to.id, amount: 1_000_000n + BigInt(i) }] }
    const id = hash(encodeTxBody(body))
    txs.push(encodeSignedTx(body, sign(null, id, from.key)))
  }
  console.log('done')

  // ed25519 verify ceiling, same process, same keys (prepared KeyObjects), one core.
  const decoded = txs.slice(0, 10_000).map((b) => decodeSignedTx(b, hash, DEFAULT_LIMITS))
  const pubOf = new Map(users.map((u) => [Buffer.from(u.id).toString('hex'), u.pub]))
  const verify = createNodeEd25519Verify()
  for (const t of decoded.slice(0, 2000)) verify(pubOf.get(Buffer.from(t.body.signer).toString('hex'))!, t.id, t.signature)
  let t0 = performance.now()
  for (const t of decoded) if (!verify(pubOf.get(Buffer.from(t.body.signer).toString('hex'))!, t.id, t.signature)) throw new Error('bad sig')
  const verifyMs = performance.now() - t0

  // The core's hot path: decode, apply (signature, nonce, balance), commit, append to the log chain.
  // Run twice on fresh states: with ed25519 verification, and with it stubbed out, so the core's own
  // cost per transaction is measured apart from the signature check in the same run.
  const run = (c: ApplyContext) => {
    const s = seedState()
    let head = GENESIS_LOG_HEAD
    let seq = 0
    const start = performance.now()
    for (const bytes of txs) {
      const tx = decodeSignedTx(bytes, hash, DEFAULT_LIMITS)
      const task = { kind: 'tx' as const, tx }
      const r = apply(s, task, c)
      if (!r.ok) throw new Error(`refused: ${r.rejection.code}`)
      s.commit(r.changes)
      head = nextLogHead(hash, head, ++seq, encodeTask(task))
    }
    return { ms: performance.now() - start, state: s }
  }
  run({ ...ctx, verifyEd25519: () => true }) // warm-up
  const noVerify = run({ ...ctx, verifyEd25519: () => true })
  // The same verifier the ceiling was measured with: its prepared keys are warm for both.
  const withVerify = run({ ...ctx, verifyEd25519: verify })
  const applyMs = withVerify.ms
  t0 = performance.now()
  withVerify.state.root()
  const rootMs = performance.now() - t0
  const overheadUs = (noVerify.ms * 1000) / TXS
  const verifyUs = (verifyMs * 1000) / decoded.length

  // Codec rates.
  const sample = decoded.slice(0, 5000)
  t0 = performance.now()
  for (let r = 0; r < 10; r++) for (const t of sample) encodeSignedTx(t.body, t.signature)
  const encMs = performance.now() - t0
  t0 = performance.now()
  for (let r = 0; r < 10; r++) for (const b of txs.slice(0, 5000)) decodeSignedTx(b, hash, DEFAULT_LIMITS)
  const decMs = performance.now() - t0

  console.log('\n## Protocol core (one core)')
  console.log('| measure | figure |')
  console.log('| --- | --- |')
  console.log(`| decode + apply (ed25519 verified) + commit + log head | ${rate(TXS, applyMs)} tx/s (${TXS.toLocaleString('en-US')} transfers over ${ACCOUNTS.toLocaleString('en-US')} accounts) |`)
  console.log(`| ed25519 verify ceiling (node:crypto, prepared keys) | ${rate(decoded.length, verifyMs)} verifies/s |`)
  console.log(`| the same path with verification stubbed out: the core's own cost | ${overheadUs.toFixed(1)} µs/tx (${rate(TXS, noVerify.ms)} tx/s) |`)
  console.log(`| applied with signatures ÷ verify ceiling, this run | ${((TXS / applyMs) / (decoded.length / verifyMs)).toFixed(3)} |`)
  console.log(`| that ratio × the brief's quiet-machine ceiling of 14,000 verifies/s | ${Math.round((14_000 * (TXS / applyMs)) / (decoded.length / verifyMs)).toLocaleString('en-US')} tx/s |`)
  console.log(`| check: verify + core cost measured here | ${Math.round(1e6 / (overheadUs + verifyUs)).toLocaleString('en-US')} tx/s predicted vs ${rate(TXS, applyMs)} measured |`)
  console.log(`| state root after those transfers (${ACCOUNTS.toLocaleString('en-US')} leaves rehashed) | ${rootMs.toFixed(1)} ms |`)
  console.log(`| encode signed transfer | ${rate(sample.length * 10, encMs)} /s |`)
  console.log(`| decode + canonical check + tx id | ${rate(5000 * 10, decMs)} /s |`)

  if (!opts['skip-merkle']) {
    console.log('\n## State tree (1,000,000 leaves)')
    console.log('| measure | figure |')
    console.log('| --- | --- |')
    for (const [k, v] of Object.entries(await benchMerkle())) console.log(`| ${k} | ${v.toLocaleString('en-US')} |`)
  }
}

await main()
