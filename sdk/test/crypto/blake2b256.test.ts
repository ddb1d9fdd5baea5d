import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createBLAKE2b } from 'hash-wasm'
import { blake2b256Reference, hashIntoOf, loadBlake2b256, type Blake2b256 } from '../../src/core/crypto/blake2b256.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s)

const implementations: [string, Blake2b256][] = [
  ['libsodium', await loadBlake2b256('libsodium')],
  ['libsodium-wrapper', await loadBlake2b256('libsodium-wrapper')],
  ['hash-wasm', await loadBlake2b256('hash-wasm')],
  ['reference', blake2b256Reference],
]
const hashWasm = await createBLAKE2b(256)

describe('BLAKE2b-256', () => {
  it.each(implementations)('%s gives the known digests of "" and "abc"', (_name, hash) => {
    // BLAKE2b-256 ("" from the reference implementation; "abc" as in RFC 7693's test harness, 32-byte output).
    expect(hex(hash(new Uint8Array()))).toBe('0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8')
    expect(hex(hash(ascii('abc')))).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319')
    expect(hex(hash(ascii('The quick brown fox jumps over the lazy dog')))).toBe(
      '01718cec35cd3d796dd00020e0bfecb473ad23457d063b75eff29c0ffa2e58a9',
    )
  })

  it('all implementations agree on random inputs of 0..300 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (data) => {
        const want = hex(blake2b256Reference(data))
        for (const [, hash] of implementations) expect(hex(hash(data))).toBe(want)
        hashWasm.init()
        hashWasm.update(data)
        expect(hex(hashWasm.digest('binary'))).toBe(want)
      }),
      { numRuns: 500 },
    )
  })

  it('the fast path handles inputs larger than its scratch buffer', () => {
    const [, fast] = implementations[0]!
    for (const n of [1023, 1024, 1025, 5000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31) & 0xff)
      expect(hex(fast(data))).toBe(hex(blake2b256Reference(data)))
    }
  })

  it('hashInto reads and writes at offsets, and equals hash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.nat(40), fc.nat(40), (data, srcOff, dstOff) => {
        const src = new Uint8Array(srcOff + data.length + 7)
        src.set(data, srcOff)
        for (const [, hash] of implementations) {
          const dst = new Uint8Array(dstOff + 32 + 5).fill(0xee)
          hashIntoOf(hash)(src, srcOff, data.length, dst, dstOff)
          expect(hex(dst.subarray(dstOff, dstOff + 32))).toBe(hex(blake2b256Reference(data)))
          expect(dst.subarray(0, dstOff).every((b) => b === 0xee)).toBe(true)
          expect(dst.subarray(dstOff + 32).every((b) => b === 0xee)).toBe(true)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('returns a fresh array each call', () => {
    const [, fast] = implementations[0]!
    const a = fast(ascii('a'))
    const b = fast(ascii('b'))
    expect(hex(a)).toBe(hex(blake2b256Reference(ascii('a'))))
    expect(hex(a)).not.toBe(hex(b))
  })
})
