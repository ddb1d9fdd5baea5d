import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createNodeEd25519Verify, ED25519_KEY_SOURCE, ed25519KeyObject } from '../../src/node/index.js'

const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI = Buffer.from('302a300506032b6570032100', 'hex')

function signer() {
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8, randomBytes(32)]), format: 'der', type: 'pkcs8' })
  const raw = new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(12))
  const msg = new Uint8Array(randomBytes(32))
  return { raw, msg, sig: new Uint8Array(sign(null, msg, priv)) }
}

describe('ed25519 keys from raw bytes', () => {
  it('the JWK import verifies exactly as the DER (SPKI) import', () => {
    for (let i = 0; i < 20; i++) {
      const s = signer()
      const der = createPublicKey({ key: Buffer.concat([SPKI, s.raw]), format: 'der', type: 'spki' })
      const jwk = ed25519KeyObject(s.raw)
      expect(jwk.export({ format: 'der', type: 'spki' })).toEqual(der.export({ format: 'der', type: 'spki' }))
      const bad = s.sig.slice()
      bad[i % 64]! ^= 1
      expect(verify(null, s.msg, jwk, s.sig)).toBe(true)
      expect(verify(null, s.msg, jwk, bad)).toBe(false)
    }
  })

  it('the worker source defines the same import with a cache, and a key evicted from it still verifies', () => {
    const ed25519Key = new Function('createPublicKey', `${ED25519_KEY_SOURCE}\nreturn ed25519Key`)(createPublicKey) as (raw: Buffer) => ReturnType<typeof createPublicKey>
    const s = signer()
    const key = ed25519Key(Buffer.from(s.raw))
    expect(ed25519Key(Buffer.from(s.raw))).toBe(key) // cached
    expect(verify(null, s.msg, key, s.sig)).toBe(true)
    expect(key.export({ format: 'der', type: 'spki' })).toEqual(ed25519KeyObject(s.raw).export({ format: 'der', type: 'spki' }))
  })

  it('createNodeEd25519Verify past its cache size: evicted keys re-imported, every answer right', () => {
    const v = createNodeEd25519Verify(2)
    const signers = Array.from({ length: 5 }, signer)
    for (let round = 0; round < 3; round++) {
      for (const s of signers) {
        expect(v(s.raw, s.msg, s.sig)).toBe(true)
        expect(v(s.raw, s.msg, new Uint8Array(64))).toBe(false)
      }
    }
    // Another signer's key, a short key, a short signature: false, never a throw.
    expect(v(signers[1]!.raw, signers[0]!.msg, signers[0]!.sig)).toBe(false)
    expect(v(signers[0]!.raw.subarray(1), signers[0]!.msg, signers[0]!.sig)).toBe(false)
    expect(v(signers[0]!.raw, signers[0]!.msg, signers[0]!.sig.subarray(1))).toBe(false)
  })
})
