/**
 * Lowercase hex of bytes.
 *
 * @example
 * toHex(new Uint8Array([0xde, 0xad])) // 'dead'
 */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]
  return s
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * Bytes of a hex string (even length, 0-9a-fA-F); throws `TypeError` otherwise.
 *
 * @example
 * fromHex('dead') // Uint8Array [0xde, 0xad]
 */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError('not a hex string of whole bytes')
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/**
 * Concatenation of byte arrays.
 *
 * @example
 * concatBytes(new Uint8Array([1]), new Uint8Array([2, 3])) // Uint8Array [1, 2, 3]
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/**
 * An unsigned integer (< 2^64) as 8 bytes big-endian.
 *
 * @example
 * u64be(1) // Uint8Array [0, 0, 0, 0, 0, 0, 0, 1]
 */
export function u64be(n: number | bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(n))
  return out
}

/**
 * Bytewise lexicographic comparison: negative, zero or positive like `Array.prototype.sort` wants.
 *
 * @example
 * [b, a].sort(compareBytes)
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

/**
 * A compact string key for bytes (one UTF-16 unit per byte): for maps keyed by account or record
 * key, about twice as fast as hex. Not for display.
 *
 * @example
 * accounts.set(bytesKey(id), account)
 */
export function bytesKey(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[])
}
