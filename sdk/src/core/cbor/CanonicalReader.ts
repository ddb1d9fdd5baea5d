import { DecodeError } from '../../errors/DecodeError.js'
import type { CborValue } from './canonical.js'

const MAJOR_UINT = 0
const MAJOR_BYTES = 2
const MAJOR_TEXT = 3
const MAJOR_ARRAY = 4
const MAX_DEPTH = 16
const utf8 = new TextDecoder('utf-8', { fatal: true })
const TWO_53 = 2 ** 53

/**
 * A strict, single-pass reader of canonical CBOR (docs/protocol.md, "Canonical CBOR"): it checks
 * the canonical form while it reads, so accepted bytes are exactly the encoding of what it returns.
 * Every length is checked against the bytes that remain before anything is allocated, and nesting
 * is bounded, so work and memory are bounded by the input size. Throws only `DecodeError`:
 * `MALFORMED_CBOR` (truncated, reserved encodings, trailing bytes, invalid UTF-8), `NON_CANONICAL`
 * (non-shortest heads, indefinite lengths, maps, tags, floats, negative integers), `BAD_SHAPE`
 * (a valid item of another type than the caller expects).
 *
 * @example
 * const r = new CanonicalReader(bytes)
 * const n = r.array()          // list header, n items follow
 * const nonce = r.uintNumber()
 * r.end()
 */
export class CanonicalReader {
  pos = 0

  /**
   * @param input the bytes to read
   * @param views when true, byte strings are returned as views on `input` rather than copies: for a
   *   caller that owns `input` (e.g. made a private copy) and wants to allocate once
   */
  constructor(
    readonly input: Uint8Array,
    private readonly views = false,
  ) {}

  private malformed(message: string): DecodeError {
    return new DecodeError('MALFORMED_CBOR', `not valid CBOR at byte ${this.pos}: ${message}`)
  }

  /** Reads an item head; returns its major type and argument (a number when below 2^53). */
  private head(): { major: number; arg: number | bigint } {
    const b = this.input
    if (this.pos >= b.length) throw this.malformed('unexpected end of input')
    const ib = b[this.pos++]!
    const major = ib >> 5
    const ai = ib & 31
    if (major !== MAJOR_UINT && major !== MAJOR_BYTES && major !== MAJOR_TEXT && major !== MAJOR_ARRAY) {
      throw new DecodeError('NON_CANONICAL', `CBOR major type ${major} is not allowed (only unsigned integers, byte strings, text and definite lists)`)
    }
    if (ai < 24) return { major, arg: ai }
    if (ai === 31) throw new DecodeError('NON_CANONICAL', 'indefinite-length items are not canonical')
    if (ai > 27) throw this.malformed(`reserved additional information ${ai}`)
    const size = 1 << (ai - 24)
    if (this.pos + size > b.length) throw this.malformed('unexpected end of input')
    let arg: number | bigint
    if (size === 1) arg = b[this.pos]!
    else if (size === 2) arg = (b[this.pos]! << 8) | b[this.pos + 1]!
    else if (size === 4) arg = ((b[this.pos]! << 24) >>> 0) + ((b[this.pos + 1]! << 16) | (b[this.pos + 2]! << 8) | b[this.pos + 3]!)
    else {
      const hi = ((b[this.pos]! << 24) >>> 0) + ((b[this.pos + 1]! << 16) | (b[this.pos + 2]! << 8) | b[this.pos + 3]!)
      const lo = ((b[this.pos + 4]! << 24) >>> 0) + ((b[this.pos + 5]! << 16) | (b[this.pos + 6]! << 8) | b[this.pos + 7]!)
      const n = hi * 2 ** 32 + lo
      arg = n < TWO_53 ? n : (BigInt(hi) << 32n) | BigInt(lo)
    }
    this.pos += size
    const min = size === 1 ? 24 : size === 2 ? 0x100 : size === 4 ? 0x10000 : 2 ** 32
    if (typeof arg === 'number' && arg < min) throw new DecodeError('NON_CANONICAL', 'an integer or length is not in its shortest form')
    return { major, arg }
  }

  private expect(major: number, what: string): number | bigint {
    const start = this.pos
    const h = this.head()
    if (h.major !== major) {
      this.pos = start
      throw new DecodeError('BAD_SHAPE', `${what} expected at byte ${start}`)
    }
    return h.arg
  }

  private length(arg: number | bigint, unit: number): number {
    // Each remaining item takes at least `unit` bytes: a longer claim cannot be satisfied.
    if (typeof arg === 'bigint' || arg * unit > this.input.length - this.pos) throw this.malformed('a length runs past the end of input')
    return arg
  }

  /** An unsigned integer, as bigint. */
  uint(what = 'an unsigned integer'): bigint {
    const a = this.expect(MAJOR_UINT, what)
    return typeof a === 'bigint' ? a : BigInt(a)
  }

  /** An unsigned integer that must be below 2^53, as number. */
  uintNumber(what = 'an unsigned integer'): number {
    const a = this.expect(MAJOR_UINT, what)
    if (typeof a === 'bigint') throw new DecodeError('BAD_SHAPE', `${what} must be below 2^53`)
    return a
  }

  /** A byte string (a copy, or a view, see the constructor), optionally of exactly `size` bytes. */
  bytes(what = 'a byte string', size?: number): Uint8Array {
    const n = this.length(this.expect(MAJOR_BYTES, what), 1)
    if (size !== undefined && n !== size) throw new DecodeError('BAD_SHAPE', `${what} must be ${size} bytes; got ${n}`)
    const out = this.views ? this.input.subarray(this.pos, this.pos + n) : this.input.slice(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  /** A UTF-8 text string. */
  text(what = 'a text string'): string {
    const n = this.length(this.expect(MAJOR_TEXT, what), 1)
    let s: string
    try {
      s = utf8.decode(this.input.subarray(this.pos, this.pos + n))
    } catch {
      throw this.malformed('invalid UTF-8 in a text string')
    }
    this.pos += n
    return s
  }

  /** A definite list header: returns the number of items that follow. */
  array(what = 'a list'): number {
    return this.length(this.expect(MAJOR_ARRAY, what), 1)
  }

  /** A list header of exactly `n` items. */
  arrayOf(n: number, what = 'a list'): void {
    const got = this.array(what)
    if (got !== n) throw new DecodeError('BAD_SHAPE', `${what} must have ${n} items; got ${got}`)
  }

  /** Any value, as `decodeCanonical` returns it (integers below 2^53 as number). */
  value(depth = 0): CborValue {
    if (depth > MAX_DEPTH) throw new DecodeError('NON_CANONICAL', `nesting deeper than ${MAX_DEPTH} lists`)
    const start = this.pos
    const h = this.head()
    this.pos = start
    switch (h.major) {
      case MAJOR_UINT: {
        this.head()
        return h.arg
      }
      case MAJOR_BYTES:
        return this.bytes()
      case MAJOR_TEXT:
        return this.text()
      default: {
        const n = this.array()
        const out: CborValue[] = new Array(n)
        for (let i = 0; i < n; i++) out[i] = this.value(depth + 1)
        return out
      }
    }
  }

  /** Asserts that all input was read. */
  end(): void {
    if (this.pos !== this.input.length) throw this.malformed(`${this.input.length - this.pos} trailing bytes`)
  }
}
