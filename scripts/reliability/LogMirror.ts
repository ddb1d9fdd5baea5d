import { decodeCanonical } from '../../sdk/src/core/cbor/canonical.js'
import { toHex } from '../../sdk/src/core/bytes.js'
import type { Blake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { MemoryLedger } from '../../sdk/src/core/ledger/MemoryLedger.js'
import { DEFAULT_LIMITS } from '../../sdk/src/core/limits.js'
import { decodeTask } from '../../sdk/src/core/task/decodeTask.js'
import { verifyEd25519Noble } from '../../sdk/src/core/crypto/ed25519.js'
import { PARAMS } from '../../sdk/test/support/world.js'

/**
 * An auditor's copy of a node's task log, kept across restarts: pulls `GET /log` from where it
 * stopped, replays every entry in its own `MemoryLedger` (checking each seq and head), and remembers
 * where every task id sits. Before pulling it re-reads the last entry it holds, so a restarted node
 * whose log no longer contains what it served before is caught.
 *
 * @example
 * const m = new LogMirror(hash); await m.pull(url); m.seqOf(txId)
 */
export class LogMirror {
  private readonly ledger: MemoryLedger
  private readonly idSeq = new Map<string, number>()
  private readonly heads: string[] = ['00'.repeat(32)]
  readonly duplicates: string[] = []
  /** GET /log requests retried after a socket error. */
  retries = 0

  constructor(private readonly hash: Blake2b256) {
    this.ledger = new MemoryLedger({ params: PARAMS, hash, verifyEd25519: verifyEd25519Noble }, { keepLog: false })
  }

  get seq(): number {
    return this.ledger.seq
  }
  get head(): string {
    return toHex(this.ledger.head)
  }
  root(): string {
    return toHex(this.ledger.state.root())
  }
  /** The seq of a task id, or undefined. */
  seqOf(id: string): number | undefined {
    return this.idSeq.get(id)
  }
  /** Task ids in log order from `seq` on. */
  idsFrom(seq: number): string[] {
    return [...this.idSeq].filter(([, s]) => s >= seq).sort((a, b) => a[1] - b[1]).map(([id]) => id)
  }
  /** The head after `seq`. */
  headAt(seq: number): string | undefined {
    return this.heads[seq]
  }

  /** Pulls and replays what the node has beyond `seq`. */
  async pull(url: string, token?: string): Promise<void> {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
    const page = async (from: number, limit: number) => {
      // A socket error is retried (a keep-alive connection the server closed as it was reused); an
      // HTTP error is not.
      let res: Response | undefined
      for (let attempt = 1; !res; attempt++) {
        try {
          res = await fetch(`${url}/log?from=${from}&limit=${limit}`, { headers })
        } catch (e) {
          if (attempt >= 3) throw e
          this.retries++
          await new Promise((r) => setTimeout(r, 100))
        }
      }
      if (res.status !== 200) throw new Error(`GET /log: ${res.status}`)
      return { entries: decodeCanonical(new Uint8Array(await res.arrayBuffer()), 256 * 1024 * 1024) as [number, Uint8Array, Uint8Array][], next: Number(res.headers.get('lagoon-next-from')) }
    }
    if (this.seq > 0) {
      const { entries } = await page(this.seq, 1)
      if (entries.length !== 1 || toHex(entries[0]![2]) !== this.head) throw new Error(`the node's log no longer holds seq ${this.seq} with head ${this.head}: the log forked`)
    }
    let from = this.seq + 1
    for (;;) {
      const { entries, next } = await page(from, 10_000)
      if (entries.length === 0) return
      for (const [seq, bytes, head] of entries) {
        const task = decodeTask(bytes, this.hash, DEFAULT_LIMITS)
        const id = toHex(task.kind === 'tx' ? task.tx.id : this.hash(bytes))
        if (this.idSeq.has(id)) this.duplicates.push(id)
        this.idSeq.set(id, seq)
        const r = this.ledger.submit(task)
        if (!r.ok) throw new Error(`replay of seq ${seq} rejected: ${r.rejection.code}`)
        if (r.seq !== seq || toHex(r.head) !== toHex(head)) throw new Error(`replay diverges at seq ${seq}`)
        this.heads[seq] = toHex(head)
      }
      from = next
    }
  }
}
