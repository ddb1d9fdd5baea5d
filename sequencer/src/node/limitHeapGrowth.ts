import { setFlagsFromString } from 'node:v8'

/**
 * How far V8 lets the old generation grow past what its last full collection kept, in percent:
 * 30 → 1.3×. V8's own factor reaches up to 4× on a fast machine, and under load the node promotes
 * every queued task it keeps across two young collections, so its heap climbed to 163–185 MB used
 * before a full collection, against 65 MB live (bench:sequencer, 1,000,000 accounts). At 30 the
 * peak heap is ~100 MB and the node's peak RSS 503–507 MB instead of 552–596 MB, for 8–12 full
 * collections in a run instead of 6–7 (docs/benchmarks.md).
 */
export const HEAP_GROWING_PERCENT = 30

/**
 * Sets {@link HEAP_GROWING_PERCENT} for this process (a V8 flag: it applies to every later heap
 * limit V8 computes). For a process that runs a node; `lagoon sequencer start` calls it first.
 *
 * @example
 * limitHeapGrowth()
 * const node = await openNode(config)
 */
export function limitHeapGrowth(percent: number = HEAP_GROWING_PERCENT): void {
  if (!Number.isInteger(percent) || percent < 1) throw new RangeError(`heap growing percent must be a positive integer, got ${percent}`)
  setFlagsFromString(`--heap-growing-percent=${percent}`)
}
