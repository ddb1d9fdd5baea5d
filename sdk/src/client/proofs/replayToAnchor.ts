import { concatBytes, fromHex, toHex } from '../../core/bytes.js'
import { bytesEqual } from '../../core/cbor/canonical.js'
import type { Blake2b256 } from '../../core/crypto/blake2b256.js'
import type { Ed25519Verify } from '../../core/crypto/ed25519.js'
import { MemoryLedger } from '../../core/ledger/MemoryLedger.js'
import type { Limits } from '../../core/limits.js'
import { StateTree } from '../../core/merkle/StateTree.js'
import type { LeafFields } from '../../core/state/leafBytes.js'
import { leafHash } from '../../core/state/leafHash.js'
import { decodeTask } from '../../core/task/decodeTask.js'
import type { AnchorDatum } from '../../l1/data.js'
import type { InstanceInfo } from '../actions/getInstance.js'
import { LayerOneError } from '../l1/LayerOneError.js'

/** One log entry as `GET /log` serves it. */
export interface RawLogEntry {
  readonly seq: number
  readonly bytes: Uint8Array
  readonly head: Uint8Array
}

/** The state at the anchor's root, rebuilt here from the task log. */
export interface ReplayedAnchorState {
  readonly tree: StateTree
  /** Every account's leaf at the anchor's root, by account hex. */
  readonly leaves: Map<string, { index: number; leaf: LeafFields }>
  /** Accounts whose exits were paid on layer 1 since the commitment (zeroed in `tree`). */
  readonly zeroed: string[]
}

/**
 * Rebuilds the state the anchor commits to, trusting nothing but layer 1: replays the log with the
 * protocol core (`MemoryLedger`: every signature checked) up to the anchor's `logSeq`, checks every
 * entry's head and that the head at `logSeq` is the anchor's `logHead`, builds the state tree, then
 * zeroes the exits that the log records as paid after it (a Withdraw spent the anchor since the
 * commitment) and checks the result is the anchor's root. `LOG_MISMATCH` when the log is not the
 * one committed; `PROOF_STALE` when the anchor moved in a way the log does not (yet) record.
 *
 * @example
 * const { tree, leaves } = await replayToAnchor({ entries, anchor: datum, info, hash, limits, verifyEd25519 })
 */
export async function replayToAnchor(p: {
  entries: Iterable<RawLogEntry> | AsyncIterable<RawLogEntry>
  anchor: AnchorDatum
  info: InstanceInfo
  hash: Blake2b256
  limits: Limits
  verifyEd25519: Ed25519Verify
  /**
   * The exits paid on layer 1 since the commitment, read from the anchor's history (oldest first):
   * used when the exits the log records do not explain the anchor's root (exodus withdrawals are never
   * in the log; a withdrawal is recorded only after k confirmations).
   */
  exitsSince?: () => Promise<{ index: number; leaf: LeafFields; exodus: boolean }[]>
}): Promise<ReplayedAnchorState> {
  const params = { instance: fromHex(p.info.instance), operator: fromHex(p.info.operatorAccount), terms: fromHex(p.info.terms), limits: p.limits }
  const ledger = new MemoryLedger({ params, hash: p.hash, verifyEd25519: p.verifyEd25519 }, { keepLog: false })
  const upTo = Number(p.anchor.logSeq)
  const paidAfter: string[] = []
  for await (const e of p.entries) {
    if (e.seq <= upTo) {
      if (e.seq !== ledger.seq + 1) throw new LayerOneError('LOG_MISMATCH', `the log skips from seq ${ledger.seq} to ${e.seq}`)
      let r: ReturnType<MemoryLedger['submit']>
      try {
        r = ledger.submit(decodeTask(e.bytes, p.hash, p.limits))
      } catch (err) {
        throw new LayerOneError('LOG_MISMATCH', `log entry ${e.seq} does not decode: ${(err as Error).message}`, { cause: err })
      }
      if (!r.ok) throw new LayerOneError('LOG_MISMATCH', `log entry ${e.seq} is refused by the protocol core (${r.rejection.code}): not the log the operator committed`)
      if (!bytesEqual(r.head, e.head)) throw new LayerOneError('LOG_MISMATCH', `log entry ${e.seq}: the served head differs from the replayed one`)
    } else {
      // After the commitment only exits matter: each exitPaid task records a Withdraw that moved the anchor.
      try {
        const t = decodeTask(e.bytes, p.hash, p.limits)
        if (t.kind === 'exitPaid') paidAfter.push(toHex(t.account))
      } catch {
        /* an undecodable entry after the anchor cannot change the proof: the root check below decides */
      }
    }
  }
  if (ledger.seq < upTo) throw new LayerOneError('LOG_MISMATCH', `the log ends at seq ${ledger.seq}; the anchor commits to seq ${upTo}: fetch the rest of the log`)
  if (toHex(ledger.head) !== p.anchor.logHead) throw new LayerOneError('LOG_MISMATCH', `the replayed log head at seq ${upTo} is not the anchor's: the log is not the one committed`)
  const accounts = ledger.state.allAccounts()
  const leaves = new Map<string, { index: number; leaf: LeafFields }>()
  for (const a of accounts) {
    const f = ledger.state.leafFields(a)
    leaves.set(toHex(a.id), { index: a.index, leaf: { ...f, nonce: BigInt(f.nonce) } })
  }
  const ordered = [...leaves.values()].sort((a, b) => a.index - b.index)
  const tree = StateTree.fromLeaves(p.hash, concatBytes(...ordered.map((l) => leafHash(p.hash, l.leaf))))
  if (toHex(tree.root()) !== toHex(ledger.state.root())) throw new LayerOneError('LOG_MISMATCH', 'internal: the rebuilt tree differs from the ledger root')
  const zeroed: string[] = []
  const committed = new Map<string, bigint>()
  if (toHex(tree.root()) !== p.anchor.root) {
    for (const id of paidAfter) {
      const at = leaves.get(id)
      if (!at || zeroed.includes(id)) continue
      const leaf = { ...at.leaf, pendingExit: 0n }
      committed.set(id, at.leaf.pendingExit)
      tree.setLeaf(at.index, leafHash(p.hash, leaf))
      leaves.set(id, { index: at.index, leaf })
      zeroed.push(id)
    }
  }
  if (toHex(tree.root()) !== p.anchor.root && p.exitsSince) {
    // Back to the committed tree, then the exits layer 1 paid since, in order.
    for (const id of zeroed.splice(0)) {
      const at = leaves.get(id)!
      const original = { ...at.leaf, pendingExit: committed.get(id)! }
      tree.setLeaf(at.index, leafHash(p.hash, original))
      leaves.set(id, { index: at.index, leaf: original })
    }
    for (const e of await p.exitsSince()) {
      const id = toHex(e.leaf.account)
      const at = leaves.get(id)
      if (!at || at.index !== e.index) continue
      const leaf = { ...at.leaf, pendingExit: 0n, balance: e.exodus ? 0n : at.leaf.balance }
      tree.setLeaf(at.index, leafHash(p.hash, leaf))
      leaves.set(id, { index: at.index, leaf })
      if (!zeroed.includes(id)) zeroed.push(id)
    }
  }
  if (toHex(tree.root()) !== p.anchor.root) {
    throw new LayerOneError(
      'PROOF_STALE',
      `the anchor's root ${p.anchor.root} is neither the replayed root at seq ${upTo} nor that root with the exits paid since zeroed (${zeroed.length}): ${p.exitsSince ? 'the anchor history does not explain it' : 'a withdrawal is not yet in the log; retry after k confirmations, or use a layer-1 provider that serves tx CBOR'}`,
      { details: { anchorRoot: p.anchor.root, zeroed } },
    )
  }
  return { tree, leaves, zeroed }
}
