import { CML, getAddressDetails, type LucidEvolution, type TxBuilder, type TxSignBuilder, type UTxO } from '@lucid-evolution/lucid'

/**
 * What Lucid Evolution 0.4.34's `complete()` adds to a fee for reference scripts: its own tiered
 * count (15 lovelace a byte, × 1.2 every 25,000 bytes) of the script bytes on read inputs. CML's
 * `min_fee` already includes the ledger's reference-script fee, so Lucid pays it twice
 * (`calculateMinRefScriptFee` added to `txBuilder.min_fee(true)`); this is the duplicate.
 *
 * @example
 * lucidRefScriptSurcharge(4_000) // 60000n
 */
export function lucidRefScriptSurcharge(bytes: number): bigint {
  const tiers = [15, 18, 21.6, 25.92, 31.1, 37.32, 44.79, 53.75]
  let fee = 0n
  let left = bytes
  for (let i = 0; left > 0 && i < tiers.length; i++) {
    fee += BigInt(Math.ceil(Math.min(left, 25_000) * tiers[i]!))
    left -= 25_000
  }
  return fee
}

/**
 * A copy of `body` with another fee and outputs (every other field kept).
 *
 * @example
 * const b = bodyWith(tx.body(), { fee: 200_000n })
 */
export function bodyWith(body: CML.TransactionBody, change: { outputs?: CML.TransactionOutputList; fee?: bigint }): CML.TransactionBody {
  const b = CML.TransactionBody.new(body.inputs(), change.outputs ?? body.outputs(), change.fee ?? body.fee())
  const ttl = body.ttl()
  if (ttl !== undefined) b.set_ttl(ttl)
  const start = body.validity_interval_start()
  if (start !== undefined) b.set_validity_interval_start(start)
  const tc = body.total_collateral()
  if (tc !== undefined) b.set_total_collateral(tc)
  const treasury = body.current_treasury_value()
  if (treasury !== undefined) b.set_current_treasury_value(treasury)
  const donation = body.donation()
  if (donation !== undefined) b.set_donation(donation)
  const set = <T>(v: T | undefined, f: (x: T) => void) => {
    if (v !== undefined) f(v)
  }
  set(body.certs(), (x) => b.set_certs(x))
  set(body.withdrawals(), (x) => b.set_withdrawals(x))
  set(body.auxiliary_data_hash(), (x) => b.set_auxiliary_data_hash(x))
  set(body.mint(), (x) => b.set_mint(x))
  set(body.script_data_hash(), (x) => b.set_script_data_hash(x))
  set(body.collateral_inputs(), (x) => b.set_collateral_inputs(x))
  set(body.required_signers(), (x) => b.set_required_signers(x))
  set(body.network_id(), (x) => b.set_network_id(x))
  set(body.collateral_return(), (x) => b.set_collateral_return(x))
  set(body.reference_inputs(), (x) => b.set_reference_inputs(x))
  set(body.voting_procedures(), (x) => b.set_voting_procedures(x))
  set(body.proposal_procedures(), (x) => b.set_proposal_procedures(x))
  return b
}

/** CBOR bytes of one vkey witness `[vkey, signature]`: 1 + (2 + 32) + (2 + 64). */
const VKEY_WITNESS_BYTES = 101

/**
 * The ledger's minimum fee of a completed, not yet signed tx once `signers` keys have signed it:
 * CML's `min_fee` of the tx (size, ex-units, the tiered fee of `refScriptBytes` reference-script
 * bytes) plus the size of the witnesses to come and 8 bytes of headers (the witness set's key, the
 * set's tag 258 and array head: 5 bytes; 3 bytes of margin).
 *
 * @example
 * ledgerMinFee(lucid, done.toTransaction(), 1, 4_400)
 */
export function ledgerMinFee(lucid: LucidEvolution, tx: CML.Transaction, signers: number, refScriptBytes: number): bigint {
  const pp = lucid.config().protocolParameters!
  const linear = CML.LinearFee.new(BigInt(pp.minFeeA), BigInt(pp.minFeeB), BigInt(pp.minFeeRefScriptCostPerByte ?? 0))
  const prices = CML.ExUnitPrices.new(CML.Rational.new(BigInt(Math.round(pp.priceMem * 1e8)), 100_000_000n), CML.Rational.new(BigInt(Math.round(pp.priceStep * 1e8)), 100_000_000n))
  const extra = signers > 0 ? BigInt(signers * VKEY_WITNESS_BYTES + 8) : 0n
  return CML.min_fee(tx, linear, prices, BigInt(refScriptBytes)) + BigInt(pp.minFeeA) * extra
}

/**
 * The completed tx paying the ledger's minimum fee (see {@link lucidRefScriptSurcharge}): the
 * difference goes back to the change output (the last output, at the wallet's address). Unchanged
 * when no reference script is read, when the last output is not plain change, or when Lucid's fee is
 * not higher. The signers counted are the wallet's payment key and the tx's required signers. The
 * scripts see the same inputs, the outputs they check and the same redeemers, so their ex-units stay
 * valid (the strict devnet re-runs them and checks the fee).
 *
 * @example
 * const done = await refundRefScriptSurcharge(lucid, await tx.complete(), [refs.anchor])
 */
export async function refundRefScriptSurcharge(lucid: LucidEvolution, done: TxSignBuilder, refs: readonly (UTxO | undefined)[]): Promise<TxSignBuilder> {
  const bytes = refs.reduce((n, u) => n + (u?.scriptRef ? u.scriptRef.script.length / 2 : 0), 0)
  if (bytes === 0) return done
  const tx = done.toTransaction()
  const body = tx.body()
  const outs = body.outputs()
  const last = outs.get(outs.len() - 1)
  const changeAddress = await lucid.wallet().address()
  if (last.address().to_bech32(undefined) !== changeAddress || last.datum() !== undefined || last.script_ref() !== undefined) return done
  const keys = new Set<string>()
  const walletKey = getAddressDetails(changeAddress).paymentCredential
  if (walletKey?.type === 'Key') keys.add(walletKey.hash)
  const rs = body.required_signers()
  for (let i = 0; i < (rs?.len() ?? 0); i++) keys.add(rs!.get(i).to_hex())
  const withFee = (fee: bigint): CML.Transaction => {
    const list = CML.TransactionOutputList.new()
    for (let i = 0; i < outs.len() - 1; i++) list.add(outs.get(i))
    list.add(CML.TransactionOutput.new(last.address(), CML.Value.new(last.amount().coin() + body.fee() - fee, last.amount().multi_asset())))
    return CML.Transaction.new(bodyWith(body, { outputs: list, fee }), tx.witness_set(), tx.is_valid(), tx.auxiliary_data())
  }
  // Twice: the new fee and change may encode in a different number of bytes.
  let fee = ledgerMinFee(lucid, tx, keys.size, bytes)
  fee = ledgerMinFee(lucid, withFee(fee), keys.size, bytes)
  if (fee >= body.fee()) return done
  const fixed = withFee(fee)
  return lucid.fromTx(fixed.to_cbor_hex())
}

/**
 * `tx` whose `complete()` pays the ledger's fee rather than Lucid's (see
 * {@link refundRefScriptSurcharge}) when scripts are read from `refs`. Methods other than
 * `complete` are the builder's own (a chained call returns the plain builder).
 *
 * @example
 * return { tx: payingLedgerFee(lucid, tx, [refs.anchor]) }
 */
export function payingLedgerFee(lucid: LucidEvolution, tx: TxBuilder, refs: readonly (UTxO | undefined)[]): TxBuilder {
  if (!refs.some((u) => u?.scriptRef)) return tx
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'complete') {
        return async (...args: Parameters<TxBuilder['complete']>) => refundRefScriptSurcharge(lucid, await target.complete(...args), refs)
      }
      return Reflect.get(target, prop, receiver)
    },
  })
}
