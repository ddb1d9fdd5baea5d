import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { Constr, Data } from '@lucid-evolution/lucid'
import { encodePlutusData, type PlutusData } from '../../src/core/plutus/encodePlutusData.js'
import { leafBytes } from '../../src/core/state/leafBytes.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const bytes = (n: number, seed = 1): Uint8Array => new Uint8Array(n).map((_, i) => (i * 7 + seed) & 0xff)

type LucidData = bigint | string | LucidData[] | Constr<LucidData>
function toLucid(d: PlutusData): LucidData {
  if (typeof d === 'bigint') return d
  if (d instanceof Uint8Array) return hex(d)
  if (Array.isArray(d)) return d.map(toLucid)
  const c = d as { constr: number; fields: readonly PlutusData[] }
  return new Constr(c.constr, c.fields.map(toLucid))
}
const lucid = (d: PlutusData): string => Data.to(toLucid(d) as never)

describe('encodePlutusData', () => {
  it('pins hand-checked encodings', () => {
    expect(hex(encodePlutusData([]))).toBe('80')
    expect(hex(encodePlutusData([1n, 2n]))).toBe('9f0102ff')
    expect(hex(encodePlutusData({ constr: 0, fields: [] }))).toBe('d87980')
    expect(hex(encodePlutusData({ constr: 6, fields: [] }))).toBe('d87f80')
    expect(hex(encodePlutusData({ constr: 7, fields: [] }))).toBe('d9050080')
    expect(hex(encodePlutusData({ constr: 127, fields: [] }))).toBe('d9057880')
    expect(hex(encodePlutusData({ constr: 128, fields: [1n] }))).toBe('d8668218809f01ff')
    expect(hex(encodePlutusData(-1n))).toBe('20')
    expect(hex(encodePlutusData((1n << 64n) - 1n))).toBe('1bffffffffffffffff')
    expect(hex(encodePlutusData(1n << 64n))).toBe('c249010000000000000000')
    expect(hex(encodePlutusData(-(1n << 64n)))).toBe('3bffffffffffffffff')
    expect(hex(encodePlutusData(-(1n << 64n) - 1n))).toBe('c349010000000000000000')
    expect(hex(encodePlutusData(bytes(64)))).toBe(`5840${hex(bytes(64))}`)
    expect(hex(encodePlutusData(bytes(65)))).toBe(`5f5840${hex(bytes(64))}41${hex(bytes(65).subarray(64))}ff`)
  })

  const cases: [string, PlutusData][] = [
    ['leaf shape', { constr: 0, fields: [bytes(28), 45_000_000_000_000_000n, 0n, 2n ** 53n - 1n, bytes(32)] }],
    ['zeros', { constr: 0, fields: [0n, new Uint8Array(), []] }],
    ['big ints', [(1n << 64n) - 1n, 1n << 64n, 10n ** 40n, -(10n ** 40n), -(1n << 64n), -(1n << 64n) - 1n, 2n ** 520n]],
    ['100-byte string', bytes(100)],
    ['128 and 129-byte strings', [bytes(128), bytes(129)]],
    ['nested lists', [[], [[]], [1n, [2n, [3n, bytes(70)]]], { constr: 3, fields: [[{ constr: 1, fields: [] }]] }]],
    ['constr 0..6, 7, 127', Array.from({ length: 9 }, (_, i) => ({ constr: [0, 1, 2, 3, 4, 5, 6, 7, 127][i]!, fields: [BigInt(i)] }))],
  ]
  it.each(cases)('matches Lucid Data.to for %s', (_name, d) => {
    expect(hex(encodePlutusData(d))).toBe(lucid(d))
  })

  const data: fc.Arbitrary<PlutusData> = fc.letrec<{ d: PlutusData }>((tie) => ({
    d: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }),
      fc.uint8Array({ maxLength: 150 }),
      fc.array(tie('d'), { maxLength: 4 }),
      fc.record({ constr: fc.nat(127), fields: fc.array(tie('d'), { maxLength: 4 }) }),
    ),
  })).d

  it('matches Lucid Data.to on random data (constructors 0..127, integers up to ±2^80, bytes up to 150)', () => {
    fc.assert(
      fc.property(data, (d) => {
        expect(hex(encodePlutusData(d))).toBe(lucid(d))
      }),
      { numRuns: 300 },
    )
  })

  it('leafBytes is the Constr 0 of the five fields', () => {
    const fields = { account: bytes(28), balance: 5_000_000n, pendingExit: 1_000_000n, nonce: 7, recordsRoot: bytes(32, 9) }
    const want = Data.to(new Constr(0, [hex(fields.account), 5_000_000n, 1_000_000n, 7n, hex(fields.recordsRoot)]) as never)
    expect(hex(leafBytes(fields))).toBe(want)
    expect(hex(leafBytes({ ...fields, nonce: 7n }))).toBe(want)
    expect(() => leafBytes({ ...fields, account: bytes(27) })).toThrow(RangeError)
    expect(() => leafBytes({ ...fields, recordsRoot: bytes(31) })).toThrow(RangeError)
    expect(() => leafBytes({ ...fields, balance: -1n })).toThrow(RangeError)
  })

  it('leafBytes refuses every field outside the bounds the anchor checks ("exit: malformed leaf"), and is never 64 bytes', () => {
    const fields = { account: bytes(28), balance: 0n, pendingExit: 0n, nonce: 0, recordsRoot: bytes(32) }
    for (const bad of [
      { account: bytes(29) },
      { recordsRoot: bytes(33) },
      { balance: 1n << 64n },
      { pendingExit: 1n << 64n },
      { pendingExit: -1n },
      { nonce: 1n << 64n },
      { nonce: -1 },
    ]) {
      expect(() => leafBytes({ ...fields, ...bad }), JSON.stringify(bad, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toThrow(RangeError)
    }
    const max = (1n << 64n) - 1n
    expect(leafBytes({ ...fields, balance: max, pendingExit: max, nonce: max }).length).toBe(95)
    // The smallest leaf: 71 bytes, so never the 64-byte preimage of an inner node.
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max }), fc.bigInt({ min: 0n, max }), fc.bigInt({ min: 0n, max }), (b, p, n) => {
        expect(leafBytes({ ...fields, balance: b, pendingExit: p, nonce: n }).length).toBeGreaterThanOrEqual(71)
      }),
    )
  })

  it('differs from CML only for constructors above 127: Plutus writes [index, fields] definite (82), CML indefinite (9f…ff)', () => {
    expect(Data.to(new Constr(128, [1n]) as never)).toBe('d8669f18809f01ffff')
    expect(hex(encodePlutusData({ constr: 128, fields: [1n] }))).toBe('d8668218809f01ff')
  })
})
