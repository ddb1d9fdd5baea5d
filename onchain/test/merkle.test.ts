import { describe, expect, it } from 'vitest'
import { blake2b } from '@noble/hashes/blake2b'
import { Constr, Data, applyDoubleCborEncoding, validatorToScriptHash } from '@lucid-evolution/lucid'
import { EMPTY_HASHES, explicitProof } from '../../sdk/src/l1/data.js'
import { compileFile, compiledCode, evalProgram, scriptHash } from '../lib.js'

const H = (b: Uint8Array) => blake2b(b, { dkLen: 32 })
const cat = (a: Uint8Array, b: Uint8Array) => { const c = new Uint8Array(64); c.set(a); c.set(b, 32); return c }
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const EMPTY: Uint8Array[] = [new Uint8Array(32)]
for (let l = 0; l < 32; l++) EMPTY.push(H(cat(EMPTY[l]!, EMPTY[l]!)))
type Leaf = [string, bigint, bigint, bigint, string]
const leafData = (l: Leaf) => new Constr(0, [...l])
const leafHash = (l: Leaf) => H(Buffer.from(Data.to(leafData(l)), 'hex'))

/** Reference sparse tree over dense indices 0..n-1. */
function proofFor(leaves: Uint8Array[], index: number): { root: Uint8Array; mask: bigint; sibs: string } {
  let level = leaves.slice(); let idx = index; let mask = 0n; let sibs = ''
  for (let l = 0; l < 32; l++) {
    const sib = level[idx ^ 1]
    if (sib !== undefined) { mask |= 1n << BigInt(l); sibs += hex(sib) }
    const next: Uint8Array[] = []
    for (let i = 0; i < level.length; i += 2) next.push(H(cat(level[i]!, level[i + 1] ?? EMPTY[l]!)))
    level = next; idx >>= 1
  }
  return { root: level[0]!, mask, sibs }
}

const prog = compileFile('merkle_test.hl', { optimize: true })
/** Runs the harness on the explicit form of a masked proof (the form the validator takes: sdk/src/l1/data.ts). */
const run = (o: Leaf, n: Leaf, index: bigint, mask: bigint, sibs: string) => {
  const p = explicitProof({ index: Number(index), mask: Number(mask), siblings: Buffer.from(sibs, 'hex') })
  return evalProgram(prog, [Data.to(leafData(o)), Data.to(leafData(n)), Data.to(BigInt(p.index)), Data.to(hex(p.siblings)), Data.to(EMPTY_HASHES)])
}

describe('merkle roots on-chain', () => {
  const leaves: Leaf[] = Array.from({ length: 300 }, (_, i) => [hex(H(Uint8Array.of(i))).slice(0, 56), BigInt(i) * 1_000_000n, BigInt(i % 3) * 5_000_000n, BigInt(i), hex(new Uint8Array(32))])
  const hashes = leaves.map(leafHash)
  it('matches the TypeScript reference for old and new leaf', () => {
    for (const i of [0, 1, 2, 137, 255, 256, 299]) {
      const old = leaves[i]!; const neu: Leaf = [old[0], old[1], 0n, old[3], old[4]]
      const { root, mask, sibs } = proofFor(hashes, i)
      const h2 = hashes.slice(); h2[i] = leafHash(neu)
      const r = run(old, neu, BigInt(i), mask, sibs)
      expect(r.error).toBeUndefined()
      expect(r.value).toBe(`(List [B #${hex(root)}, B #${hex(proofFor(h2, i).root)}])`)
    }
  })
  it('wrong sibling / index / leaf field change the root', () => {
    const i = 137; const old = leaves[i]!
    const { root, mask, sibs } = proofFor(hashes, i)
    const good = `B #${hex(root)},`
    expect(run(old, old, BigInt(i), mask, 'ff' + sibs.slice(2)).value).not.toContain(good)
    expect(run(old, old, BigInt(i + 1), mask, sibs).value).not.toContain(good)
    expect(run([old[0], old[1] + 1n, old[2], old[3], old[4]], old, BigInt(i), mask, sibs).value).not.toContain(good)
  })
  it('refuses an index beyond the proof and a malformed proof', () => {
    const i = 137; const old = leaves[i]!
    const { mask, sibs } = proofFor(hashes, i)
    const e = explicitProof({ index: i, mask: Number(mask), siblings: Buffer.from(sibs, 'hex') })
    const go = (index: bigint, s: string) => evalProgram(prog, [Data.to(leafData(old)), Data.to(leafData(old)), Data.to(index), Data.to(s), Data.to(EMPTY_HASHES)])
    expect(go(BigInt(i), hex(e.siblings)).value).toContain(`B #${hex(proofFor(hashes, i).root)},`)
    // Two extra siblings are two more levels: another root; one is an odd proof, refused.
    expect(go(BigInt(i), hex(e.siblings) + 'ab'.repeat(64)).value).not.toContain(`B #${hex(proofFor(hashes, i).root)},`)
    expect(go(BigInt(i), hex(e.siblings) + 'ab'.repeat(32)).error).toBeDefined()
    expect(go(BigInt(i) + 2n ** BigInt(e.siblings.length / 32), hex(e.siblings)).error).toBeDefined() // a right child above the last sibling
    expect(go(BigInt(i), hex(e.siblings) + 'ab').error).toBeDefined() // not whole hashes
    expect(go(-1n, hex(e.siblings)).error).toBeDefined()
  })
  it('hash and compiledCode agree with Lucid', () => {
    expect(validatorToScriptHash({ type: 'PlutusV2', script: applyDoubleCborEncoding(compiledCode(prog)) })).toBe(scriptHash(prog))
  })
})

describe('Aiken-compatible encoding', () => {
  const enc = compileFile('encoding_test.hl', { optimize: false })
  const args = (owner: string) => [Data.to(new Constr(0, ['aa'.repeat(28), 7n])), Data.to(new Constr(1, [5n])), Data.to(new Constr(0, [3n])), Data.to(new Constr(1, [])), Data.to(owner)]
  it('destructures Lucid-built Constr data', () => {
    expect(evalProgram(enc, args('aa'.repeat(28))).value).toBe('(I 7005031)')
  })
  it('traces and error messages show up in debug builds', () => {
    const r = evalProgram(enc, args('ab'.repeat(28)))
    expect(r.error).toBe('owner mismatch'); expect(r.logs).toEqual(['checking record'])
  })
})
