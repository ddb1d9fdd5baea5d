import type { StrictEmulator } from '@lagoon/devnet'

/**
 * Produces the strict devnet's blocks on a timer with a clock that follows the wall clock: every
 * block moves the devnet to slot ⌊(now + skew − genesis) / 1 s⌋, so a process that turns
 * `Date.now()` into slots (Lucid on a Blockfrost provider, the SDK in a browser) builds validity
 * intervals the devnet accepts. `jump(ms)` moves the devnet's clock ahead of the wall clock (the
 * exodus demo); from then on its slots stay `skewMs` ahead.
 *
 * @example
 * const producer = new BlockProducer(devnet, 1000)
 * producer.start()
 * producer.stop()
 */
export class BlockProducer {
  private timer: NodeJS.Timeout | null = null
  private skew = 0

  constructor(
    readonly devnet: StrictEmulator,
    readonly blockMs = 1000,
  ) {}

  /** ms the devnet's clock is ahead of the wall clock (0 until `jump`). */
  get skewMs(): number {
    return this.skew
  }

  /**
   * One block now: it includes the mempool and moves the clock to the wall clock (+ skew); never back.
   *
   * @example
   * producer.produce()
   */
  produce(): void {
    const target = Math.floor((Date.now() + this.skew - this.devnet.genesisTime) / 1000)
    this.devnet.awaitBlock(1, Math.max(0, target - this.devnet.slot))
  }

  /**
   * Moves the devnet's clock `ms` ahead (one block at the new time).
   *
   * @example
   * producer.jump(3_600_000) // an hour later on the chain
   */
  jump(ms: number): void {
    this.skew += ms
    this.produce()
  }

  /** Starts producing a block every `blockMs`. */
  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => this.produce(), this.blockMs)
  }

  /** Stops the timer (the devnet keeps its state). */
  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
