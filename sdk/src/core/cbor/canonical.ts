import { Encoder } from 'cbor-x'
import { DecodeError } from '../../errors/DecodeError.js'
import { CanonicalReader } from './CanonicalReader.js'

/** The CBOR values the protocol uses: unsigned integers, byte strings, text and arrays. No maps, floats or tags. */
export type CborValue = number | bigint | Uint8Array | string | readonly CborValue[]

const encoder = new Encoder({
  useRecords: false,
  tagUint8Array: false,
  mapsAsObjects: false,
  variableMapSize: true,
  largeBigIntToFloat: false,
})

// cbor-x writes every bigint in the 8-byte form and every number ≥ 2^32 as a float. The canonical
// form is the shortest integer, so values below 2^32 go out as numbers (written in 1, 2, 3 or 5 bytes)
// and values from 2^32 up as bigints (for which the 8-byte form is the shortest).
const TWO_32 = 2 ** 32
const TWO_32N = 2n ** 32n

function normalize(value: CborValue): unknown {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError('canonical CBOR here carries unsigned integers only')
    return value < TWO_32N ? Number(value) : value
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not an unsigned safe integer: ${value}`)
    return value < TWO_32 ? value : BigInt(value)
  }
  if (Array.isArray(value)) return value.map(normalize)
  return value
}

/**
 * Encodes a value as canonical CBOR: definite lengths, shortest integers, untagged byte strings.
 *
 * @example
 * encodeCanonical([1, new Uint8Array([0xab]), 10n ** 17n]) // Uint8Array 83 01 41 ab 1b 01 63 45 78 5d 8a 00 00
 */
export function encodeCanonical(value: CborValue): Uint8Array {
  const out = encoder.encode(normalize(value))
  // cbor-x returns a view on its reusable buffer; copy so callers own the bytes.
  return new Uint8Array(out)
}

/**
 * Decodes untrusted bytes that must be canonical CBOR. Throws only `DecodeError`:
 * `TOO_LARGE` before reading anything if `bytes` exceeds `maxBytes`, `MALFORMED_CBOR` for bytes that
 * are not one complete CBOR item, `NON_CANONICAL` for anything but the one canonical encoding.
 * Integers come back as `number` below 2^53, else `bigint`; the caller checks the shape.
 * (A strict single-pass reader: cbor-x decoding plus re-encoding to compare measured 8 µs a
 * transaction, the reader well under 1 µs; tests check the two agree.)
 *
 * @example
 * decodeCanonical(new Uint8Array([0x82, 0x01, 0x02]), 1024) // [1, 2]
 */
export function decodeCanonical(bytes: Uint8Array, maxBytes: number): CborValue {
  checkSize(bytes, maxBytes)
  const r = new CanonicalReader(bytes)
  const v = r.value()
  r.end()
  return v
}

/**
 * Throws `TOO_LARGE` when `bytes` is longer than `maxBytes`, `MALFORMED_CBOR` when it is empty.
 *
 * @example
 * checkSize(body, 8192)
 */
export function checkSize(bytes: Uint8Array, maxBytes: number): void {
  if (bytes.length > maxBytes) {
    throw new DecodeError('TOO_LARGE', `input is ${bytes.length} bytes; at most ${maxBytes} are accepted`, {
      details: { size: bytes.length, max: maxBytes },
    })
  }
  if (bytes.length === 0) throw new DecodeError('MALFORMED_CBOR', 'input is empty')
}

/**
 * Constant-length byte comparison (not constant-time; use for data, not secrets).
 *
 * @example
 * bytesEqual(new Uint8Array([1]), new Uint8Array([1])) // true
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
