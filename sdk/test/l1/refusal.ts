/**
 * How the attack suites tell that a validator refused a tx *for the reason intended*, on both builds.
 *
 * The debug build keeps every `assert` message, so its refusal names the reason. The release build
 * (what users' ADA sits under) keeps none: there the reason is shown by the script that failed — the
 * validator the debug message comes from (its prefix: `exit:`, `withdraw:`, `merkle:` … are the
 * anchor's, `deposit:` the deposit validator's, `state_token:` the minting policy's) — together with
 * the suite's controls (the same tx without the one change is accepted by the same build).
 *
 * Every refusal reaches the strict devnet's submit: a tx that `complete()`'s local evaluation refuses
 * is built a second time with fixed ex-units instead of evaluated ones (the devnet runs every script
 * with the whole per-tx budget anyway and reports the script's failure before any budget check).
 */
import { CML, type TxBuilder, type UTxO } from '@lucid-evolution/lucid'
import { DevnetRuleError, type StrictEmulator } from '@lagoon/devnet'
import { expect } from 'vitest'
import type { LagoonScripts } from '../../src/l1/index.js'

/** The two blueprints: `debug` (traces kept) and `release` (plutus.json, what an instance runs). */
export type Build = 'debug' | 'release'

/** Both builds, for `describe.each`. */
export const BUILDS: readonly Build[] = ['debug', 'release']

/** What the refusal checks need of a test world. */
export interface RefusalWorld {
  readonly devnet: StrictEmulator
  readonly build: Build
  /** Every instance the world created (to name the script behind a failing redeemer). */
  readonly instances: LagoonScripts[]
}

type ScriptName = 'anchor' | 'deposit' | 'state_token'

/** The validator a debug message comes from, by its prefix. */
export function scriptOfMessage(message: string): ScriptName {
  const prefix = message.split(':')[0]!
  if (prefix === 'deposit') return 'deposit'
  if (prefix === 'state_token') return 'state_token'
  if (['anchor', 'commit', 'withdraw', 'exodus', 'freeze', 'exit', 'merkle'].includes(prefix)) return 'anchor'
  throw new TypeError(`no validator has messages starting with "${prefix}:"`)
}

/** Which of the world's scripts ran the redeemer `Spend[i]` / `Mint[i]` of `cbor`. */
async function scriptOfRedeemer(w: RefusalWorld, cbor: string, redeemer: string): Promise<ScriptName | 'unknown'> {
  const m = /^(Spend|Mint)\w*\[(\d+)\]$/.exec(redeemer)
  if (!m) return 'unknown'
  const body = CML.Transaction.from_cbor_hex(cbor).body()
  const i = Number(m[2])
  if (m[1] === 'Mint') {
    const policies = body.mint()?.keys()
    const ids = Array.from({ length: policies?.len() ?? 0 }, (_, k) => policies!.get(k).to_hex()).sort()
    return w.instances.some((s) => s.policyId === ids[i]) ? 'state_token' : 'unknown'
  }
  const ins = body.inputs()
  const refs = Array.from({ length: ins.len() }, (_, k) => ({ txHash: ins.get(k).transaction_id().to_hex(), outputIndex: Number(ins.get(k).index()) }))
  refs.sort((a, b) => (a.txHash < b.txHash ? -1 : a.txHash > b.txHash ? 1 : a.outputIndex - b.outputIndex))
  const [u]: UTxO[] = await w.devnet.getUtxosByOutRef([refs[i]!])
  if (!u) return 'unknown'
  if (w.instances.some((s) => s.anchorAddress === u.address)) return 'anchor'
  if (w.instances.some((s) => s.depositAddress === u.address)) return 'deposit'
  return 'unknown'
}

/**
 * Submits `cbor` to the strict devnet and asserts `SCRIPT_FAILED` for the reason `message`: on the
 * debug build as a trace line of the failing script; on the release build (no traces) by the failing
 * script being the validator the message belongs to.
 */
export async function expectRefusedAtSubmit(w: RefusalWorld, cbor: string, message: string): Promise<DevnetRuleError> {
  const err = await w.devnet.submitTx(cbor).then(
    () => undefined,
    (e: unknown) => e,
  )
  if (err === undefined) throw new Error(`the devnet accepted a tx that should fail with "${message}" (${w.build} build)`)
  expect(err).toBeInstanceOf(DevnetRuleError)
  const e = err as DevnetRuleError
  expect(e.code, e.message).toBe('SCRIPT_FAILED')
  const logs = (e.details?.logs as string[] | undefined) ?? []
  if (w.build === 'debug') {
    expect(logs, JSON.stringify(e.details)).toContain(message)
  } else {
    expect(logs, 'the release build carries no traces').toEqual([])
    expect(await scriptOfRedeemer(w, cbor, String(e.details?.redeemer)), `the script that failed (${String(e.details?.redeemer)}), for "${message}"`).toBe(scriptOfMessage(message))
  }
  return e
}

/**
 * `tx` completed with fixed ex-units (the per-tx budget split over its redeemers) instead of local
 * evaluation, and signed: a tx that the local evaluation would refuse, as CBOR for the devnet.
 * (The local evaluation is not skipped by the suites: they run it first and expect it to refuse.)
 */
export async function withoutEvaluation(w: RefusalWorld, tx: TxBuilder, signWith?: string): Promise<string> {
  const devnet = w.devnet as StrictEmulator & { evaluateTx: StrictEmulator['evaluateTx'] }
  const original = devnet.evaluateTx
  const pp = devnet.protocolParameters
  devnet.evaluateTx = async (cbor: string) => {
    const rs = CML.Transaction.from_cbor_hex(cbor).witness_set().redeemers()?.as_arr_legacy_redeemer()
    const n = rs?.len() ?? 0
    const tags = ['spend', 'mint', 'publish', 'withdraw', 'vote', 'propose'] as const
    return Array.from({ length: n }, (_, i) => ({
      ex_units: { mem: Number(pp.maxTxExMem / BigInt(n)), steps: Number(pp.maxTxExSteps / BigInt(n)) },
      redeemer_index: Number(rs!.get(i).index()),
      redeemer_tag: tags[rs!.get(i).tag()]!,
    }))
  }
  try {
    const done = await tx.complete({ localUPLCEval: false })
    return (await (signWith ? done.sign.withPrivateKey(signWith) : done.sign.withWallet()).complete()).toCBOR()
  } finally {
    devnet.evaluateTx = original
  }
}
