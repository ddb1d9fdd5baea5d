import { CML, type TxBuilder } from '@lucid-evolution/lucid'
import { toHex } from '../../core/bytes.js'
import { buildDepositTx, type DepositDatum, type OutRef } from '../../l1/index.js'
import { ClientError } from '../errors.js'
import { chainNow, completeAndSubmit, l1Context, walletAccount, type L1Options } from '../l1/l1Context.js'
import type { BaseClient } from '../transport.js'

/** The smallest deposit the node credits by default (1 ADA); smaller ones can only be refunded. */
export const MIN_DEPOSIT_LOVELACE = 1_000_000n

/** The default time after which an unabsorbed deposit can be taken back: 24 hours. */
export const DEFAULT_REFUND_AFTER_MS = 24 * 3600_000

/** Parameters of {@link buildDeposit} and {@link deposit}. */
export interface DepositParams extends L1Options {
  /** Lovelace to lock (at least 1 ADA). */
  readonly amount: bigint
  /** The layer-2 account to credit (28 bytes or hex); default the wallet's own payment key hash. */
  readonly account?: Uint8Array | string
  /**
   * ms from now after which the deposit can be refunded if the operator has not absorbed it; default
   * 24 h. The node credits only deposits refundable later than its absorption margin (2 h by default).
   */
  readonly refundAfterMs?: number
}

/** An unsigned deposit: Lucid's builder and what it will lock. */
export interface BuiltDeposit {
  readonly tx: TxBuilder
  readonly datum: DepositDatum
  readonly amount: bigint
  readonly depositAddress: string
}

/**
 * Builds (does not sign) the layer-1 tx that locks `amount` at the instance's deposit address for an
 * account, refundable after `refundAfterMs`. Complete and sign it yourself (a CIP-30 wallet through
 * Lucid's `selectWallet.fromAPI`), or use {@link deposit}.
 *
 * @example
 * const { tx } = await client.buildDeposit({ lucid, amount: 10_000_000n })
 * const signed = await (await tx.complete()).sign.withWallet().complete()
 */
export async function buildDeposit(client: BaseClient, params: DepositParams): Promise<BuiltDeposit> {
  if (typeof params.amount !== 'bigint' || params.amount < MIN_DEPOSIT_LOVELACE) {
    throw new ClientError('INVALID_ARGUMENT', `a deposit must be at least ${MIN_DEPOSIT_LOVELACE} lovelace (1 ADA); got ${String(params.amount)}`)
  }
  const { scripts } = await l1Context(client, params)
  const owner = params.account === undefined ? await walletAccount(params.lucid) : typeof params.account === 'string' ? params.account.toLowerCase() : toHex(params.account)
  if (!/^[0-9a-f]{56}$/.test(owner)) throw new ClientError('INVALID_ARGUMENT', `the account must be 28 bytes of hex; got "${owner}"`)
  const refundAfterMs = params.refundAfterMs ?? DEFAULT_REFUND_AFTER_MS
  if (!Number.isSafeInteger(refundAfterMs) || refundAfterMs <= 0) throw new ClientError('INVALID_ARGUMENT', `refundAfterMs must be a positive number of ms; got ${refundAfterMs}`)
  const datum: DepositDatum = { owner, refundAfter: BigInt(chainNow(params.lucid) + refundAfterMs) }
  return { tx: buildDepositTx(params.lucid, scripts, datum, params.amount), datum, amount: params.amount, depositAddress: scripts.depositAddress }
}

/** What {@link deposit} returns. */
export interface DepositResult {
  readonly txHash: string
  /** The deposit output: pass it to `waitForDeposit` or, after `refundAfter`, to `refundDeposit`. */
  readonly outRef: OutRef
  readonly owner: string
  readonly amount: bigint
  /** POSIX ms after which the deposit can be refunded if not absorbed. */
  readonly refundAfter: bigint
}

/**
 * Locks ADA for layer 2: builds the deposit, signs with Lucid's wallet and submits. The node credits
 * the account after k confirmations (`waitForDeposit`). `LayerOneError('L1_TX_FAILED')` when the wallet
 * or the chain refuses (not enough ADA, …).
 *
 * @example
 * const { txHash, outRef } = await client.deposit({ lucid, amount: 25_000_000n })
 */
export async function deposit(client: BaseClient, params: DepositParams): Promise<DepositResult> {
  const built = await buildDeposit(client, params)
  const { txHash, cbor } = await completeAndSubmit(built.tx, 'deposit')
  const outs = CML.Transaction.from_cbor_hex(cbor).body().outputs()
  let outputIndex = -1
  for (let i = 0; i < outs.len(); i++) {
    const o = outs.get(i)
    if (o.address().to_bech32(undefined) === built.depositAddress && o.amount().coin() === built.amount) {
      outputIndex = i
      break
    }
  }
  if (outputIndex < 0) throw new ClientError('INVALID_ARGUMENT', 'internal: the deposit output is missing from the signed tx')
  return { txHash, outRef: { txHash, outputIndex }, owner: built.datum.owner, amount: built.amount, refundAfter: built.datum.refundAfter }
}
