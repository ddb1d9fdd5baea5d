/**
 * Plutus data as the ledger sees it, minus maps (the protocol has none): a constructor application,
 * an integer, a byte string or a list.
 *
 * @example
 * const d: PlutusData = { constr: 0, fields: [new Uint8Array(28), 5n, []] }
 */
export type PlutusData = { readonly constr: number; readonly fields: readonly PlutusData[] } | bigint | Uint8Array | readonly PlutusData[]

const U64_MAX = (1n << 64n) - 1n
const CHUNK = 64

/**
 * Encodes Plutus data exactly as Plutus `serialiseData` (the `serialise_data` builtin) does:
 * constructors 0–6 as tags 121–127, 7–127 as tags 1280–1400, others as tag 102 `[index, fields]`;
 * non-empty lists indefinite-length (`9f … ff`), the empty list `80`; byte strings over 64 bytes as an
 * indefinite byte string of 64-byte chunks; integers in major type 0/1 when they fit 64 bits, else as
 * bignums (tag 2/3) whose bytes are chunked like any byte string.
 *
 * @example
 * encodePlutusData({ constr: 0, fields: [1n, new Uint8Array([0xab])] }) // d8 79 9f 01 41 ab ff
 */
export function encodePlutusData(data: PlutusData): Uint8Array {
  const w = new Writer()
  write(w, data)
  return w.finish()
}

function write(w: Writer, d: PlutusData): void {
  if (typeof d === 'bigint') return writeInteger(w, d)
  if (d instanceof Uint8Array) return writeBytes(w, d)
  if (isList(d)) return writeList(w, d)
  const i = d.constr
  if (!Number.isSafeInteger(i) || i < 0) throw new RangeError(`constructor index must be a non-negative safe integer, got ${i}`)
  if (i <= 6) w.head(6, 121 + i)
  else if (i <= 127) w.head(6, 1280 + i - 7)
  else {
    w.head(6, 102)
    w.head(4, 2)
    w.head(0, i)
  }
  writeList(w, d.fields)
}

function isList(d: PlutusData): d is readonly PlutusData[] {
  return Array.isArray(d)
}

function writeList(w: Writer, items: readonly PlutusData[]): void {
  if (items.length === 0) return w.byte(0x80)
  w.byte(0x9f)
  for (const item of items) write(w, item)
  w.byte(0xff)
}

function writeBytes(w: Writer, b: Uint8Array): void {
  if (b.length <= CHUNK) {
    w.head(2, b.length)
    w.bytes(b)
    return
  }
  w.byte(0x5f)
  for (let off = 0; off < b.length; off += CHUNK) {
    const piece = b.subarray(off, Math.min(off + CHUNK, b.length))
    w.head(2, piece.length)
    w.bytes(piece)
  }
  w.byte(0xff)
}

function writeInteger(w: Writer, n: bigint): void {
  if (n >= 0n) {
    if (n <= U64_MAX) return w.head(0, n)
    w.head(6, 2)
    return writeBytes(w, bigEndian(n))
  }
  const m = -1n - n
  if (m <= U64_MAX) return w.head(1, m)
  w.head(6, 3)
  writeBytes(w, bigEndian(m))
}

function bigEndian(n: bigint): Uint8Array {
  const hex = n.toString(16)
  const padded = hex.length % 2 === 0 ? hex : `0${hex}`
  const out = new Uint8Array(padded.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(padded.slice(2 * i, 2 * i + 2), 16)
  return out
}

class Writer {
  private buf = new Uint8Array(128)
  private len = 0

  byte(b: number): void {
    this.reserve(1)
    this.buf[this.len++] = b
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length)
    this.buf.set(b, this.len)
    this.len += b.length
  }

  /** A CBOR head: major type and argument in the shortest form. */
  head(major: number, arg: number | bigint): void {
    const n = BigInt(arg)
    const mt = major << 5
    if (n < 24n) return this.byte(mt | Number(n))
    if (n < 0x100n) {
      this.byte(mt | 24)
      return this.byte(Number(n))
    }
    const size = n < 0x10000n ? 2 : n < 0x100000000n ? 4 : 8
    this.byte(mt | (size === 2 ? 25 : size === 4 ? 26 : 27))
    for (let i = size - 1; i >= 0; i--) this.byte(Number((n >> BigInt(8 * i)) & 0xffn))
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len)
  }

  private reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return
    let cap = this.buf.length * 2
    while (cap < this.len + extra) cap *= 2
    const next = new Uint8Array(cap)
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
  }
}
