import fc from 'fast-check'
import { Decoder } from 'cbor-x'
import { describe, expect, it } from 'vitest'
import { bytesEqual, decodeCanonical, encodeCanonical, type CborValue } from '../../src/core/cbor/canonical.js'
import { DecodeError } from '../../src/errors/DecodeError.js'

// The oracle: cbor-x decodes, then the value must re-encode to the very same bytes. Independent of
// the reader's own parsing; slower, which is why the reader exists.
const cborx = new Decoder({ useRecords: false, mapsAsObjects: false, int64AsType: 'bigint' } as ConstructorParameters<typeof Decoder>[0])
function allowed(v: unknown, depth = 0): boolean {
  if (depth > 16) return false
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0
  if (typeof v === 'bigint') return v >= 0n
  if (typeof v === 'string' || v instanceof Uint8Array) return true
  return Array.isArray(v) && v.every((x) => allowed(x, depth + 1))
}
function oracle(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    const v = cborx.decode(bytes.slice())
    if (!allowed(v)) return { ok: false }
    return bytesEqual(encodeCanonical(v as CborValue), bytes) ? { ok: true, value: v } : { ok: false }
  } catch {
    return { ok: false }
  }
}
const norm = (v: unknown): unknown =>
  typeof v === 'bigint' && v < 2n ** 53n ? Number(v) : Array.isArray(v) ? v.map(norm) : v instanceof Uint8Array ? Array.from(v) : v

function agree(bytes: Uint8Array) {
  const o = oracle(bytes)
  let mine: { ok: true; value: unknown } | { ok: false }
  try {
    mine = { ok: true, value: decodeCanonical(bytes, 1 << 20) }
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError)
    mine = { ok: false }
  }
  expect(mine.ok, Buffer.from(bytes).toString('hex')).toBe(o.ok)
  if (mine.ok && o.ok) expect(norm(mine.value)).toEqual(norm(o.value))
}

const valueArb: fc.Arbitrary<CborValue> = fc.letrec<{ v: CborValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.nat(),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    fc.uint8Array({ maxLength: 40 }),
    fc.string({ maxLength: 10 }),
    fc.array(tie('v'), { maxLength: 4 }),
  ),
})).v

describe('CanonicalReader', () => {
  it('decodes what encodeCanonical writes', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        expect(norm(decodeCanonical(encodeCanonical(v), 1 << 20))).toEqual(norm(v))
      }),
      { numRuns: 2000 },
    )
  })

  it('accepts and rejects exactly what cbor-x decoding plus a byte-exact re-encoding accepts', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), agree), { numRuns: 5000 })
    fc.assert(
      fc.property(valueArb, fc.nat(), fc.integer({ min: 0, max: 255 }), (v, at, byte) => {
        const b = Array.from(encodeCanonical(v))
        b[at % b.length] = byte
        agree(new Uint8Array(b))
      }),
      { numRuns: 5000 },
    )
    // Boundary heads: shortest and non-shortest forms of 23/24/255/256/65535/65536/2^32-1/2^32.
    for (const hex of ['17', '1817', '1818', '18ff', '1900ff', '190100', '19ffff', '1a0000ffff', '1a00010000', '1affffffff', '1b00000000ffffffff', '1b0000000100000000', '1bffffffffffffffff', '5800', '5817' + '00'.repeat(23), '581800' + '00'.repeat(23), '7f', '9f00ff', '80', '60', '6261', '62ffff'])
      agree(Buffer.from(hex, 'hex'))
  })

  it('never allocates for lengths the input cannot hold', () => {
    for (const hex of ['5b7fffffffffffffff', '9b7fffffffffffffff', '7b0000000100000000', '9a7fffffff00']) {
      expect(() => decodeCanonical(Buffer.from(hex, 'hex'), 64)).toThrow(/runs past the end|shortest/)
    }
    expect(() => decodeCanonical(Buffer.from('81'.repeat(30) + '00', 'hex'), 64)).toThrow(DecodeError)
  })
})
