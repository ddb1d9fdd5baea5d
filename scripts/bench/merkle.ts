import { blake2b256Reference, loadBlake2b256, type Blake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { StateTree } from '../../sdk/src/core/merkle/StateTree.js'
import { verifyProof } from '../../sdk/src/core/merkle/proof.js'

const LEAVES = 1_000_000
const TOUCHED = 10_000
const RUNS = 7

/**
 * Benchmarks the state tree and the BLAKE2b implementations on one core and returns the figures
 * (rates per second, times in ms or µs, memory in MB) keyed by name.
 *
 * @example
 * const figures = await benchMerkle() // { 'build 1M leaves (ms)': 812, … }
 */
export async function benchMerkle(): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  const impls: [string, Blake2b256][] = [
    ['libsodium (direct heap)', await loadBlake2b256('libsodium')],
    ['libsodium-wrappers', await loadBlake2b256('libsodium-wrapper')],
    ['hash-wasm', await loadBlake2b256('hash-wasm')],
    ['@noble/hashes', blake2b256Reference],
  ]
  for (const [name, h] of impls) out[`blake2b-256 of 64 B, ${name} (M/s)`] = round(hashRate(h) / 1e6, 2)

  const hash = impls[0]![1]
  const leaves = new Uint8Array(32 * LEAVES)
  for (let i = 0; i < LEAVES; i++) leaves.set(hash(u32(i)), 32 * i)

  gc()
  const before = process.memoryUsage()
  let t = performance.now()
  const tree = new StateTree(hash)
  tree.setLeaves(leafEntries(leaves, 0, LEAVES))
  out['build 1M leaves by appends (ms)'] = round(performance.now() - t, 0)
  gc()
  const after = process.memoryUsage()
  out['tree memory, arrayBuffers delta (MB)'] = round((after.arrayBuffers - before.arrayBuffers) / 2 ** 20, 1)
  out['tree memory, rss delta (MB)'] = round((after.rss - before.rss) / 2 ** 20, 1)

  t = performance.now()
  const rebuilt = StateTree.fromLeaves(hash, leaves)
  out['fromLeaves 1M (ms)'] = round(performance.now() - t, 0)
  t = performance.now()
  const restored = StateTree.fromLevels(hash, tree.toLevels())
  out['toLevels + fromLevels 1M (ms)'] = round(performance.now() - t, 0)
  t = performance.now()
  const cloned = tree.clone()
  out['clone 1M (ms)'] = round(performance.now() - t, 0)
  if (!equal(rebuilt.root(), tree.root()) || !equal(restored.root(), tree.root()) || !equal(cloned.root(), tree.root())) throw new Error('roots differ')

  const rand = xorshift(42)
  const times: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const updates: [number, Uint8Array][] = []
    for (let j = 0; j < TOUCHED; j++) updates.push([rand() % LEAVES, hash(u32(run * TOUCHED + j + LEAVES))])
    t = performance.now()
    tree.setLeaves(updates)
    times.push(performance.now() - t)
  }
  out['root update, 10k touched of 1M, median (ms)'] = round(median(times), 1)
  out['root update, 10k touched of 1M, max (ms)'] = round(Math.max(...times), 1)

  const singles = 20_000
  t = performance.now()
  for (let j = 0; j < singles; j++) tree.setLeaf(rand() % LEAVES, hash(u32(j)))
  out['single-leaf update (µs)'] = round(((performance.now() - t) * 1000) / singles, 1)

  const proofs = 50_000
  const idx = Array.from({ length: proofs }, () => rand() % LEAVES)
  t = performance.now()
  const made = idx.map((i) => tree.prove(i))
  out['proof generation (/s)'] = round(proofs / ((performance.now() - t) / 1000), -3)
  const root = tree.root()
  const leafOf = idx.map((i) => tree.getLeaf(i))
  t = performance.now()
  let ok = 0
  for (let j = 0; j < proofs; j++) if (verifyProof(hash, root, leafOf[j]!, made[j]!)) ok++
  out['proof verification (/s)'] = round(proofs / ((performance.now() - t) / 1000), -3)
  if (ok !== proofs) throw new Error('a proof failed')
  out['proof siblings at 1M (count)'] = made[0]!.siblings.length / 32
  return out
}

function hashRate(h: Blake2b256): number {
  const input = new Uint8Array(64).map((_, i) => i)
  const run = (n: number): number => {
    const t = performance.now()
    for (let i = 0; i < n; i++) {
      input[0] = i
      h(input)
    }
    return n / ((performance.now() - t) / 1000)
  }
  run(20_000)
  const n = Math.max(50_000, Math.min(2_000_000, Math.round(run(50_000) / 2)))
  return Math.max(run(n), run(n))
}

function* leafEntries(leaves: Uint8Array, from: number, to: number): Generator<[number, Uint8Array]> {
  for (let i = from; i < to; i++) yield [i, leaves.subarray(32 * i, 32 * i + 32)]
}

function u32(i: number): Uint8Array {
  return new Uint8Array([i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff])
}

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>>= 0)
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

// Memory figures are only meaningful after a collection; without --expose-gc they are rougher.
function gc(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('scripts/bench/merkle.ts')) {
  const figures = await benchMerkle()
  const width = Math.max(...Object.keys(figures).map((k) => k.length))
  console.log(`${'measure'.padEnd(width)} | value`)
  console.log(`${'-'.repeat(width)} | -----`)
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(width)} | ${v.toLocaleString('en-US')}`)
}
