import { describe, expect, it } from 'vitest'
import { blake2b256Reference as H } from '../../src/core/crypto/blake2b256.js'
import { encodeCanonical } from '../../src/core/cbor/canonical.js'
import { recordHash, recordsRoot } from '../../src/core/state/recordsRoot.js'
import { leafHash } from '../../src/core/state/leafHash.js'
import { leafBytes } from '../../src/core/state/leafBytes.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('records root and leaf hash', () => {
  it('is 32 zero bytes without records', () => {
    expect(hex(recordsRoot(H, []))).toBe('00'.repeat(32))
  })
  it('hashes the concatenated record hashes', () => {
    const a = recordHash(H, ascii('a'), new Uint8Array([1]))
    const b = recordHash(H, ascii('b'), new Uint8Array())
    expect(hex(a)).toBe(hex(H(encodeCanonical([ascii('a'), new Uint8Array([1])]))))
    expect(hex(a)).toBe(hex(H(new Uint8Array([0x82, 0x41, 0x61, 0x41, 0x01]))))
    expect(hex(recordsRoot(H, [a, b]))).toBe(hex(H(new Uint8Array([...a, ...b]))))
    expect(hex(recordsRoot(H, [a]))).toBe(hex(H(a)))
    expect(() => recordsRoot(H, [a.subarray(1)])).toThrow(RangeError)
  })
  it('leafHash is H(leafBytes)', () => {
    const f = { account: new Uint8Array(28).fill(1), balance: 10n, pendingExit: 0n, nonce: 0, recordsRoot: recordsRoot(H, []) }
    expect(hex(leafHash(H, f))).toBe(hex(H(leafBytes(f))))
    expect(leafBytes(f).length).toBe(71)
  })
})
