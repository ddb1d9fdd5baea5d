import { bytesEqual } from '../core.js'
import { bytesKey } from '../storage/bytesKey.js'

/** What {@link InFlight} keeps of a queued task: its id, its signature, and the copies queued after it. */
export interface InFlightCopy<T> {
  /** `bytesKey` of the task id. */
  readonly idKey: string
  /** A tx's signature (the part of the signed bytes its id does not cover); null for the node's own tasks. */
  readonly sig: Uint8Array | null
  /**
   * The copies queued after this one with the same id but another signature, by signature, in FIFO
   * order; null until one comes (rare). Kept on the first copy only.
   */
  twins: Map<string, T> | null
  /** Whether it was queued while another copy of its id was in flight. */
  twin: boolean
}

/**
 * The tasks in flight (queued, or applied and waiting for their sync), by id. A tx id is H(body):
 * the signature is not in it, so one id can stand for several signed byte strings, only one of which
 * (at most) is valid. The first copy of an id is the entry; later copies with another signature are its
 * `twins`, each queued and decided on its own, so a broken copy sent first never answers for a good
 * one; a copy with the same signature (an idempotent resubmit) joins the one in flight.
 *
 * The common path costs what a plain map does: one `get`, and one 64-byte compare on a resubmit;
 * twins allocate only when they occur.
 *
 * @example
 * const f = new InFlight<Item>()
 * const pending = f.first(idKey)
 * const same = pending && f.sameSigned(pending, sig)
 * if (same) return same.promise
 * f.add(item, pending)
 * // once item is answered:
 * f.release(item)
 */
export class InFlight<T extends InFlightCopy<T>> {
  private readonly byId = new Map<string, T>()

  /** The first copy of the id in flight, if any. */
  first(idKey: string): T | undefined {
    return this.byId.get(idKey)
  }

  /** Whether any copy of the id is in flight. */
  has(idKey: string): boolean {
    return this.byId.has(idKey)
  }

  /** The copy in flight among `first` and its twins whose signature is `sig`, if any. */
  sameSigned(first: T, sig: Uint8Array): T | undefined {
    if (first.sig !== null && bytesEqual(first.sig, sig)) return first
    return first.twins?.get(bytesKey(sig))
  }

  /** The last copy queued of the id whose first copy is `first` (it is answered last: FIFO). */
  last(first: T): T {
    let last = first
    for (const t of first.twins?.values() ?? []) last = t
    return last
  }

  /** Adds a queued item: the first of its id, or (with `first`) a twin of it. */
  add(item: T, first?: T): void {
    if (first === undefined) {
      this.byId.set(item.idKey, item)
      return
    }
    item.twin = true
    ;(first.twins ??= new Map()).set(bytesKey(item.sig!), item)
  }

  /** Takes an answered item out: the next copy of its id, if any, becomes the first. */
  release(it: T): void {
    const first = this.byId.get(it.idKey)
    if (first === it) {
      const twins = it.twins
      const next = twins?.values().next().value
      if (next === undefined) this.byId.delete(it.idKey)
      else {
        twins!.delete(bytesKey(next.sig!))
        next.twins = twins!.size > 0 ? twins : null
        this.byId.set(it.idKey, next)
      }
    } else if (first?.twins && it.sig) {
      first.twins.delete(bytesKey(it.sig))
    }
  }
}
