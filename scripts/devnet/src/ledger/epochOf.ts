/**
 * Slots per epoch on the devnet: mainnet's 432,000 (five days of one-second slots). Pool retirements
 * are scheduled and take effect in epochs.
 */
export const EPOCH_LENGTH_SLOTS = 432_000

/**
 * The epoch a slot falls in (epoch 0 starts at slot 0).
 *
 * @example
 * epochOf(432_000) // 1
 */
export function epochOf(slot: number): number {
  return Math.floor(slot / EPOCH_LENGTH_SLOTS)
}
