/**
 * Forging attacks that the strict devnet (not only `complete()`) must reject: build an honest tx with
 * the builders, let `complete()` evaluate and balance it, sign it, then change its body (or its
 * redeemers) with CML, recompute the script-data hash where the witness set changed, re-sign, and
 * submit the forged CBOR to the devnet. The devnet runs every script on the UPLC machine; a rejected
 * attack throws `DevnetRuleError` `SCRIPT_FAILED` with the debug script's trace in `details.logs` (refusal.ts: how the release build's refusals are read).
 */
import { CML, createCostModels, Data, PROTOCOL_PARAMETERS_DEFAULT, type TxBuilder } from '@lucid-evolution/lucid'
import type { DevnetRuleError } from '@lagoon/devnet'
import { editRedeemers, forge, rehash, withBody } from '../../../scripts/devnet/test/helpers.js'
import { anchorDatumFromData, anchorDatumToData, type AnchorDatum } from '../../src/l1/index.js'
import type { World } from './helpers.js'
import { expectRefusedAtSubmit } from './refusal.js'

export { editRedeemers, forge, rehash, withBody }

export const costModels = createCostModels(PROTOCOL_PARAMETERS_DEFAULT.costModels)

/** Completes (local evaluation on: the honest tx must pass) and signs with the selected wallet (and `extraKeys`); returns the CBOR, not submitted. */
export async function honest(tx: TxBuilder, extraKeys: readonly string[] = []): Promise<string> {
  let signer = (await tx.complete()).sign.withWallet()
  for (const k of extraKeys) signer = signer.sign.withPrivateKey(k)
  return (await signer.complete()).toCBOR()
}

/** A copy of an output with some parts replaced (address bech32, coin, multi-asset, inline datum CBOR, script ref). */
export function outputWith(
  out: CML.TransactionOutput,
  change: { address?: string; coin?: bigint; multiAsset?: CML.MultiAsset; datum?: string; scriptRef?: CML.Script | null },
): CML.TransactionOutput {
  const address = change.address ? CML.Address.from_bech32(change.address) : out.address()
  const value = CML.Value.new(change.coin ?? out.amount().coin(), change.multiAsset ?? out.amount().multi_asset())
  const datum = change.datum !== undefined ? CML.DatumOption.new_datum(CML.PlutusData.from_cbor_hex(change.datum)) : out.datum()
  const ref = change.scriptRef === null ? undefined : change.scriptRef ?? out.script_ref()
  return CML.TransactionOutput.new(address, value, datum, ref)
}

/** The outputs as an array. */
export function outputsOf(body: CML.TransactionBody): CML.TransactionOutput[] {
  const outs = body.outputs()
  return Array.from({ length: outs.len() }, (_, i) => outs.get(i))
}

/** A CML output list. */
export function listOf(outs: readonly CML.TransactionOutput[]): CML.TransactionOutputList {
  const l = CML.TransactionOutputList.new()
  for (const o of outs) l.add(o)
  return l
}

/** The anchor datum held by an output (inline). */
export function datumOf(out: CML.TransactionOutput): AnchorDatum {
  return anchorDatumFromData(Data.from(out.datum()!.as_datum()!.to_cbor_hex()))
}

/**
 * Forges `cbor`: `edit` gets the outputs (0 = the anchor, last = the wallet's change) and returns new
 * ones; the lovelace the edit adds to or takes from the outputs is balanced on the change output
 * (the last), so value stays conserved and only the validator can object. The fee is raised by
 * `feeMargin` (taken from the change) to cover a few more bytes.
 */
export function forgeOutputs(
  cbor: string,
  keys: readonly string[],
  edit: (outs: CML.TransactionOutput[]) => CML.TransactionOutput[],
  opts: { feeMargin?: bigint; body?: (b: CML.TransactionBody) => void; witnesses?: (ws: CML.TransactionWitnessSet) => void } = {},
): string {
  const margin = opts.feeMargin ?? 50_000n // lovelace: ~1,100 more bytes
  return forge(cbor, keys, (body, ws) => {
    const before = outputsOf(body)
    const after = edit(before.map((o) => CML.TransactionOutput.from_cbor_hex(o.to_cbor_hex())))
    const sum = (os: CML.TransactionOutput[]) => os.reduce((s, o) => s + o.amount().coin(), 0n)
    const delta = sum(after) - sum(before) + margin
    const last = after.length - 1
    after[last] = outputWith(after[last]!, { coin: after[last]!.amount().coin() - delta })
    const b = withBody(body, { outputs: listOf(after), fee: body.fee() + margin })
    opts.body?.(b)
    if (opts.witnesses) {
      opts.witnesses(ws)
      rehash(b, ws, costModels)
    }
    return b
  })
}

/** Output 0 (the anchor) with its datum changed by `f`. */
export function withAnchorDatum(outs: CML.TransactionOutput[], f: (d: AnchorDatum) => AnchorDatum): CML.TransactionOutput[] {
  const d = f(datumOf(outs[0]!))
  outs[0] = outputWith(outs[0]!, { datum: Data.to(anchorDatumToData(d)) })
  return outs
}

/**
 * Submits forged CBOR to the strict devnet and asserts the rejection is `SCRIPT_FAILED` for the reason
 * `message` (the debug build's trace line; on the release build, the validator it belongs to).
 */
export async function expectScriptFailed(w: World, cbor: string, message: string): Promise<DevnetRuleError> {
  return expectRefusedAtSubmit(w, cbor, message)
}

/** Submits CBOR that must be accepted (controls: the honest tx before a forgery, etc.). */
export async function expectAccepted(w: World, cbor: string): Promise<string> {
  const h = await w.devnet.submitTx(cbor)
  w.devnet.awaitBlock(1)
  return h
}
