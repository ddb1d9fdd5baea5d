import { describe, expect, it } from 'vitest'
import { encodeCanonical } from '../../src/core/cbor/canonical.js'
import { blake2b256Reference as hash } from '../../src/core/crypto/blake2b256.js'
import { DEFAULT_LIMITS, MAX_LOVELACE } from '../../src/core/limits.js'
import { decodeSignedTx, tryDecodeSignedTx } from '../../src/core/tx/decodeSignedTx.js'
import { txBodyToCbor } from '../../src/core/tx/encodeTx.js'
import { InvalidTxError } from '../../src/core/tx/InvalidTxError.js'
import type { Action, TxBody } from '../../src/core/tx/types.js'
import { DecodeError } from '../../src/errors/DecodeError.js'
import { INSTANCE, tx, user } from '../support/world.js'

const alice = user(1)
const bob = user(2)
const body = (actions: Action[], over: Partial<TxBody> = {}): TxBody => ({ instance: INSTANCE, signer: alice.account, nonce: 0, fee: 0n, actions, ...over })
const raw = (b: TxBody, sig = new Uint8Array(64)) => encodeCanonical([txBodyToCbor(b), sig])
const decodeCode = (bytes: Uint8Array) => {
  const r = tryDecodeSignedTx(bytes, hash, DEFAULT_LIMITS)
  return r.ok ? 'ok' : r.error.code
}

describe('layer-2 transaction format', () => {
  it('round-trips every action type and derives the id from the body bytes', () => {
    const t = tx(alice, 7, [
      { type: 'transfer', to: bob.account, amount: 5_000_000n },
      { type: 'withdraw', amount: MAX_LOVELACE },
      { type: 'put', key: new Uint8Array([1, 2]), value: new Uint8Array(1024) },
      { type: 'delete', key: new Uint8Array(64) },
    ], 3n)
    const d = decodeSignedTx(t.bytes, hash, DEFAULT_LIMITS)
    expect(d.body).toEqual(t.body)
    expect(d.id).toEqual(hash(t.bodyBytes))
    expect(d.bodyBytes).toEqual(t.bodyBytes)
    expect(d.signature).toEqual(t.signature)
  })

  it('refuses non-canonical encodings of a valid transaction', () => {
    const t = tx(alice, 0, [{ type: 'transfer', to: bob.account, amount: 1n }])
    // indefinite-length outer list
    const indefinite = new Uint8Array([0x9f, ...t.bytes.subarray(1), 0xff])
    expect(decodeCode(indefinite)).toBe('NON_CANONICAL')
    // trailing byte
    expect(decodeCode(new Uint8Array([...t.bytes, 0]))).toBe('MALFORMED_CBOR')
    // nonce 0 written in 2 bytes instead of 1: find the body's nonce (after version, instance, signer)
    const b = Array.from(t.bytes)
    const nonceAt = 1 + 1 + 1 + 30 + 30
    expect(b[nonceAt]).toBe(0x00)
    b.splice(nonceAt, 1, 0x18, 0x00)
    expect(decodeCode(new Uint8Array(b))).toBe('NON_CANONICAL')
  })

  it('enforces the limits in the builder and the decoder alike', () => {
    const cases: [string, TxBody][] = [
      ['no actions', body([])],
      ['17 actions', body(Array.from({ length: 17 }, () => ({ type: 'transfer' as const, to: bob.account, amount: 1n })))],
      ['zero amount', body([{ type: 'transfer', to: bob.account, amount: 0n }])],
      ['amount above all ADA', body([{ type: 'transfer', to: bob.account, amount: MAX_LOVELACE + 1n }])],
      ['withdrawal below min-UTxO', body([{ type: 'withdraw', amount: 999_999n }])],
      ['65-byte key', body([{ type: 'put', key: new Uint8Array(65), value: new Uint8Array(0) }])],
      ['empty key', body([{ type: 'delete', key: new Uint8Array(0) }])],
      ['1025-byte value', body([{ type: 'put', key: new Uint8Array(1), value: new Uint8Array(1025) }])],
      ['fee above all ADA', body([{ type: 'withdraw', amount: 1_000_000n }], { fee: MAX_LOVELACE + 1n })],
    ]
    for (const [name, b] of cases) {
      expect(() => tx(alice, 0, b.actions as Action[], b.fee), name).toThrow(InvalidTxError)
      try {
        tx(alice, 0, b.actions as Action[], b.fee)
      } catch (e) {
        expect((e as InvalidTxError).code, name).toBe('LIMIT_EXCEEDED')
      }
      expect(decodeCode(raw(b)), name).toBe('LIMIT_EXCEEDED')
    }
  })

  it('reports wrong shapes with BAD_SHAPE', () => {
    expect(decodeCode(encodeCanonical([1, 2]))).toBe('BAD_SHAPE')
    expect(decodeCode(encodeCanonical([txBodyToCbor(body([{ type: 'withdraw', amount: 1_000_000n }])), new Uint8Array(63)]))).toBe('BAD_SHAPE')
    const v = txBodyToCbor(body([{ type: 'withdraw', amount: 1_000_000n }])) as unknown[]
    expect(decodeCode(encodeCanonical([[2, ...v.slice(1)] as never, new Uint8Array(64)]))).toBe('BAD_SHAPE') // version 2
    expect(decodeCode(encodeCanonical([[...v.slice(0, 5), [[9, 1]]] as never, new Uint8Array(64)]))).toBe('BAD_SHAPE') // unknown action
    expect(decodeCode(encodeCanonical([[...v.slice(0, 5), [[0, bob.account]]] as never, new Uint8Array(64)]))).toBe('BAD_SHAPE') // missing amount
    expect(decodeCode(encodeCanonical([[v[0], new Uint8Array(27), ...v.slice(2)] as never, new Uint8Array(64)]))).toBe('BAD_SHAPE')
  })

  it('refuses oversize input before decoding it', () => {
    const r = tryDecodeSignedTx(new Uint8Array(DEFAULT_LIMITS.maxTxBytes + 1), hash, DEFAULT_LIMITS)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(DecodeError)
      expect(r.error.code).toBe('TOO_LARGE')
    }
  })

  it('gives malformed and hostile CBOR typed errors', () => {
    for (const hex of ['', 'ff', '1c', '8201', '5b00000000ffffffff00', '9bffffffffffffffff', 'a10102', 'c24101', 'f97c00', '81'.repeat(5000) + '00']) {
      const code = decodeCode(Buffer.from(hex, 'hex'))
      expect(['MALFORMED_CBOR', 'NON_CANONICAL', 'BAD_SHAPE'], hex.slice(0, 20)).toContain(code)
    }
  })
})
