import type { TxBuilder } from '@lucid-evolution/lucid'
import { toHex } from '../../core/bytes.js'
import { rootFromProof } from '../../core/merkle/proof.js'
import { leafHash } from '../../core/state/leafHash.js'
import { buildWithdrawTx } from '../../l1/index.js'
import { ClientError } from '../errors.js'
import { completeAndSubmit, l1Context, readAnchor, walletAccount, type L1Options } from '../l1/l1Context.js'
import { LayerOneError } from '../l1/LayerOneError.js'
import type { AccountProof, ProofSource } from '../proofs/AccountProof.js'
import type { BaseClient } from '../transport.js'
import { proofAt, type GetProofParams } from './getProof.js'

/** Parameters of {@link buildWithdraw} and {@link withdraw}. */
export interface WithdrawParams extends L1Options {
  /** The account whose pending exit is paid (hex or bytes); default the wallet's. Anyone may pay anyone's exit: the ADA goes to the account's own address. */
  readonly account?: Uint8Array | string
  /**
   * Where the proof comes from. Default `'node'`, falling back to a local replay of the node's log when
   * the node's proof is for an older root (`PROOF_STALE`). Every proof is checked against the anchor.
   */
  readonly source?: ProofSource
  readonly verifyEd25519?: GetProofParams['verifyEd25519']
}

/** An unsigned withdrawal and what it pays. */
export interface BuiltWithdraw {
  readonly tx: TxBuilder
  /** Lovelace paid to the account's address. */
  readonly amount: bigint
  readonly account: string
  /** The proof used, verified against the anchor. */
  readonly proof: AccountProof
  /** The anchor root after the exit. */
  readonly newRoot: string
}

/** @internal shared by withdraw and exodus withdraw. */
export async function buildExit(client: BaseClient, params: WithdrawParams, exodus: boolean): Promise<BuiltWithdraw> {
  const { scripts } = await l1Context(client, params)
  const account = params.account === undefined ? await walletAccount(params.lucid) : typeof params.account === 'string' ? params.account.toLowerCase() : toHex(params.account)
  if (!/^[0-9a-f]{56}$/.test(account)) throw new ClientError('INVALID_ARGUMENT', `the account must be 28 bytes of hex; got "${account}"`)
  const anchor = await readAnchor(params.lucid, scripts)
  if (!exodus && anchor.datum.mode === 'frozen') {
    throw new LayerOneError('ANCHOR_FROZEN', 'the anchor is frozen (exodus): withdraw the whole balance with exodusWithdraw')
  }
  if (exodus && anchor.datum.mode === 'active') {
    throw new LayerOneError('ANCHOR_ACTIVE', `the anchor is not frozen: freeze it first (possible once no commitment was posted for ${anchor.datum.exodusTimeout} ms after ${new Date(Number(anchor.datum.lastCommit)).toISOString()})`)
  }
  const base: GetProofParams = {
    account,
    lucid: params.lucid,
    ...(params.instanceInfo ? { instanceInfo: params.instanceInfo } : {}),
    ...(params.signal ? { signal: params.signal } : {}),
    ...(params.verifyEd25519 ? { verifyEd25519: params.verifyEd25519 } : {}),
  }
  let proof: AccountProof
  const source = params.source ?? (exodus ? 'local' : 'node')
  try {
    proof = await proofAt(client, { ...base, source }, account, anchor)
  } catch (e) {
    if (params.source !== undefined || !(e instanceof LayerOneError) || e.code !== 'PROOF_STALE') throw e
    proof = await proofAt(client, { ...base, source: 'local' }, account, anchor)
  }
  const leaf = proof.leaf
  const amount = exodus ? leaf.balance + leaf.pendingExit : leaf.pendingExit
  if (amount === 0n) {
    throw new LayerOneError(
      'NOTHING_TO_WITHDRAW',
      exodus
        ? `account ${account} holds nothing in the frozen state`
        : `account ${account} has no pending exit in the committed state (batch ${proof.batch}): request a withdrawal on layer 2 and wait for the next commitment`,
      { details: { batch: proof.batch, balance: leaf.balance.toString() } },
    )
  }
  const zeroed = { ...leaf, pendingExit: 0n, balance: exodus ? 0n : leaf.balance }
  const newRoot = toHex(rootFromProof(client.hash, leafHash(client.hash, zeroed), proof.proof))
  const { tx } = buildWithdrawTx(params.lucid, scripts, { anchor: anchor.utxo, exits: [{ leaf, proof: proof.proof }], newRoot, exodus })
  return { tx, amount, account, proof, newRoot }
}

/**
 * Builds (does not sign) the layer-1 withdrawal of an account's pending exit: fetches or computes the
 * proof, checks it against the anchor's root on layer 1, and spends the anchor with a Withdraw that
 * pays the exit to the account's enterprise address. Errors: `NOTHING_TO_WITHDRAW`, `ANCHOR_FROZEN`
 * (use `exodusWithdraw`), the proof errors of `getProof`.
 *
 * @example
 * const { tx, amount } = await client.buildWithdraw({ lucid, source: 'local' })
 */
export function buildWithdraw(client: BaseClient, params: WithdrawParams): Promise<BuiltWithdraw> {
  return buildExit(client, params, false)
}

/** What {@link withdraw} and `exodusWithdraw` return. */
export interface WithdrawResult {
  readonly txHash: string
  /** Lovelace paid to the account's address. */
  readonly amount: bigint
  readonly account: string
  readonly batch: number
}

/**
 * Withdraws an account's pending exit on layer 1 by itself, without waiting for the operator's batched
 * payout: {@link buildWithdraw}, signed by Lucid's wallet (which pays the fee) and submitted.
 *
 * @example
 * await client.requestWithdrawal({ signer, amount: 5_000_000n })
 * await client.waitForCommitment({ seq })
 * const { txHash, amount } = await client.withdraw({ lucid })
 */
export async function withdraw(client: BaseClient, params: WithdrawParams): Promise<WithdrawResult> {
  const built = await buildWithdraw(client, params)
  const { txHash } = await completeAndSubmit(built.tx, 'withdraw')
  return { txHash, amount: built.amount, account: built.account, batch: built.proof.batch }
}
