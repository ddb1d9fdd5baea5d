/**
 * A small seeded random source (xorshift32), so a fuzz run can be repeated from its seed.
 *
 * @example
 * const r = new Rng(7); r.int(10); r.pick(['a', 'b']); r.bytes(32)
 */
export class Rng {
  private s: number
  constructor(seed: number) {
    this.s = seed >>> 0 || 1
  }
  /** [0, 1) */
  next(): number {
    let x = this.s
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    this.s = x >>> 0
    return this.s / 2 ** 32
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n)
    for (let i = 0; i < n; i++) b[i] = this.int(256)
    return b
  }
  hex(nBytes: number): string {
    return Buffer.from(this.bytes(nBytes)).toString('hex')
  }
}
