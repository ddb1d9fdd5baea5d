import type { LucidEvolution } from '@lucid-evolution/lucid'
import { fromHex, toHex } from '../../core/bytes.js'
import { verifyEd25519Noble, type Ed25519Verify } from '../../core/crypto/ed25519.js'
import { rootFromProof } from '../../core/merkle/proof.js'
import { leafHash } from '../../core/state/leafHash.js'
import { ApiError, ClientError, NetworkError } from '../errors.js'
import { anchorExitsSince, txCborReaderOf } from '../l1/anchorExitsSince.js'
import { l1Context, readAnchor, type AnchorState } from '../l1/l1Context.js'
import { LayerOneError } from '../l1/LayerOneError.js'
import type { AccountProof, ProofSource } from '../proofs/AccountProof.js'
import { replayToAnchor, type RawLogEntry } from '../proofs/replayToAnchor.js'
import { createTransport, type BaseClient } from '../transport.js'
import type { RequestOptions } from '../types.js'
import type { InstanceInfo } from './getInstance.js'
import { getLog } from './getLog.js'

/** Parameters of {@link getProof}. */
export interface GetProofParams extends RequestOptions {
  /** The account (28 bytes, or hex). */
  readonly account: Uint8Array | string
  /** The batch (node or relay sources); default the batch of the anchor on layer 1 (with `lucid`), else the node's latest. */
  readonly batch?: number
  /** Default `'node'`. */
  readonly source?: ProofSource
  /**
   * Lucid on the instance's network: the proof is then checked against the anchor's root read from
   * layer 1 (`verified: true`). Required for `'local'` and `{ log }` (the replay stops at the anchor).
   */
  readonly lucid?: LucidEvolution
  /** The instance's settings (default `GET /instance`, cached). */
  readonly instanceInfo?: InstanceInfo
  /** The signature check of the replay; default the pure-JavaScript one (pass `createNodeEd25519Verify()` in Node for speed). */
  readonly verifyEd25519?: Ed25519Verify
}

const isStr = (v: unknown): v is string => typeof v === 'string'

function parseProofJson(r: Record<string, unknown>, request: string): Omit<AccountProof, 'source' | 'verified'> {
  const bad = (what: string): never => {
    throw new NetworkError('BAD_RESPONSE', `${request}: ${what} is missing or malformed`, { request })
  }
  const leaf = (r.leaf ?? bad('leaf')) as Record<string, unknown>
  if (!Number.isSafeInteger(r.batch) || !isStr(r.root) || !Number.isSafeInteger(r.index) || !Number.isSafeInteger(r.mask) || !isStr(r.siblings)) bad('batch/root/index/mask/siblings')
  for (const k of ['account', 'balance', 'pendingExit', 'nonce', 'recordsRoot']) if (!isStr(leaf[k])) bad(`leaf.${k}`)
  return {
    batch: r.batch as number,
    root: (r.root as string).toLowerCase(),
    leaf: {
      account: fromHex(leaf.account as string),
      balance: BigInt(leaf.balance as string),
      pendingExit: BigInt(leaf.pendingExit as string),
      nonce: BigInt(leaf.nonce as string),
      recordsRoot: fromHex(leaf.recordsRoot as string),
    },
    proof: { index: r.index as number, mask: r.mask as number, siblings: fromHex(r.siblings as string) },
  }
}

/**
 * Checks a proof against the anchor's root (read from layer 1): `PROOF_STALE` when it is for another
 * root (the anchor moved since), `PROOF_MISMATCH` when it claims the anchor's root but does not prove
 * the leaf (a lying source), `NOT_IN_STATE` for a leaf of another account.
 *
 * @example
 * checkProofAgainstAnchor(hash, proof, anchor, accountHex)
 */
export function checkProofAgainstAnchor(hash: BaseClient['hash'], p: Omit<AccountProof, 'source' | 'verified'>, anchor: AnchorState, account: string): void {
  if (toHex(p.leaf.account) !== account) throw new LayerOneError('PROOF_MISMATCH', `the proof is for account ${toHex(p.leaf.account)}, not ${account}`)
  let implied: string
  try {
    implied = toHex(rootFromProof(hash, leafHash(hash, p.leaf), p.proof))
  } catch (e) {
    throw new LayerOneError('PROOF_MISMATCH', `the proof is malformed: ${(e as Error).message}`, { cause: e })
  }
  if (implied === anchor.datum.root) return
  if (p.root !== anchor.datum.root) {
    throw new LayerOneError('PROOF_STALE', `the proof is against root ${p.root} (batch ${p.batch}); the anchor on layer 1 now holds ${anchor.datum.root} (batch ${anchor.datum.batch}): exits were paid since — use source 'local'`, {
      details: { proofRoot: p.root, anchorRoot: anchor.datum.root },
    })
  }
  throw new LayerOneError('PROOF_MISMATCH', `the proof does not lead to the anchor's root ${anchor.datum.root}: the source served a false proof`, { details: { implied, anchorRoot: anchor.datum.root } })
}

async function* entriesOf(client: BaseClient, signal: AbortSignal | undefined): AsyncGenerator<RawLogEntry> {
  for await (const page of getLog(client, { from: 1, limit: 10_000, ...(signal ? { signal } : {}) })) yield* page.entries
}

/**
 * An account's leaf and Merkle proof under a committed root, from the node, a relay, or computed here
 * by replaying the task log with the protocol core. With `lucid`, the proof is checked against the
 * anchor's root read from layer 1 (the only root a withdrawal can use), so a wrong proof from any
 * source is caught before a withdrawal is built. A local replay trusts nothing but layer 1: it
 * checks the log's hash chain up to the anchor's log head, then zeroes the exits the log records as
 * paid since (see `replayToAnchor`).
 *
 * Errors: `ApiError('NOT_FOUND')` (no such account or batch at the source), `LayerOneError`
 * (`PROOF_MISMATCH`, `PROOF_STALE`, `NOT_IN_STATE`, `LOG_MISMATCH`), `ClientError('MISSING_CONFIG')`
 * (a local replay without `lucid`).
 *
 * @example
 * const p = await client.getProof({ account, lucid, source: 'local' })
 * p.leaf.pendingExit // 4_000_000n, verified: true
 */
export async function getProof(client: BaseClient, params: GetProofParams): Promise<AccountProof> {
  const account = typeof params.account === 'string' ? params.account.toLowerCase() : toHex(params.account)
  if (!/^[0-9a-f]{56}$/.test(account)) throw new ClientError('INVALID_ARGUMENT', `the account must be 28 bytes of hex; got "${account}"`)
  const anchor = params.lucid ? await readAnchorFor(client, params) : undefined
  return proofAt(client, params, account, anchor)
}

/**
 * {@link getProof} against an anchor already read (what the withdrawal builders use, so the proof and
 * the spent anchor are the same output).
 *
 * @example
 * const proof = await proofAt(client, { account, source: 'local', lucid }, accountHex, anchor)
 */
export async function proofAt(client: BaseClient, params: GetProofParams, account: string, anchor: AnchorState | undefined): Promise<AccountProof> {
  const source = params.source ?? 'node'
  const signal = params.signal ? { signal: params.signal } : {}
  if (source === 'local' || (typeof source === 'object' && 'log' in source)) {
    if (!params.lucid || !anchor) throw new ClientError('MISSING_CONFIG', 'a local proof replays the log up to the anchor on layer 1: pass `lucid`')
    const { info } = await l1Context(client, { ...(params.instanceInfo ? { instanceInfo: params.instanceInfo } : {}), ...signal })
    const entries = source === 'local' ? entriesOf(client, params.signal) : source.log
    const readTx = txCborReaderOf(params.lucid)
    const state = await replayToAnchor({
      entries,
      anchor: anchor.datum,
      info,
      hash: client.hash,
      limits: client.limits,
      verifyEd25519: params.verifyEd25519 ?? verifyEd25519Noble,
      ...(readTx ? { exitsSince: () => anchorExitsSince(anchor.utxo, readTx) } : {}),
    })
    const at = state.leaves.get(account)
    if (!at) throw new LayerOneError('NOT_IN_STATE', `account ${account} is not in the state committed at batch ${anchor.datum.batch}`)
    const result = { batch: Number(anchor.datum.batch), root: anchor.datum.root, leaf: at.leaf, proof: state.tree.prove(at.index) }
    checkProofAgainstAnchor(client.hash, result, anchor, account)
    return { ...result, source: 'local', verified: true }
  }
  const from = source === 'node' ? client : createTransport({ url: source.relay, hash: client.hash, limits: client.limits })
  const batch = params.batch ?? (anchor ? Number(anchor.datum.batch) : undefined)
  let r: Record<string, unknown>
  try {
    r = await from.request<Record<string, unknown>>({ method: 'GET', path: `/accounts/${account}/proof${batch === undefined ? '' : `?batch=${batch}`}`, ...signal })
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NOT_FOUND' && anchor) {
      throw new LayerOneError('NOT_IN_STATE', `${from.url} has no proof of account ${account} at batch ${batch}: ${e.message}`, { cause: e })
    }
    throw e
  }
  const proof = parseProofJson(r, 'GET /accounts/:id/proof')
  if (anchor) checkProofAgainstAnchor(client.hash, proof, anchor, account)
  return { ...proof, source: source === 'node' ? 'node' : 'relay', verified: anchor !== undefined }
}

async function readAnchorFor(client: BaseClient, params: GetProofParams): Promise<AnchorState> {
  const { scripts } = await l1Context(client, { ...(params.instanceInfo ? { instanceInfo: params.instanceInfo } : {}), ...(params.signal ? { signal: params.signal } : {}) })
  return readAnchor(params.lucid!, scripts)
}
