import { credentialToAddress, Data, type LucidEvolution, type Network, type TxBuilder, type UTxO } from '@lucid-evolution/lucid'
import { EMPTY_HASHES, EMPTY_HASHES_DATUM } from './data.js'
import type { ScriptRefs } from './common.js'
import type { LagoonScripts } from './scripts.js'

/**
 * Where an instance's reference-script UTxOs live: the anchor validator's payment credential with
 * the anchor script as stake credential. Spending from it runs the anchor validator, which refuses
 * any input without the state token, so nothing there can ever be spent; and it is not the anchor's
 * own (enterprise) address, so the anchor's UTxO set and its locked ADA stay the state token's alone.
 *
 * @example
 * const refs = findScriptRefs(await lucid.utxosAt(refsAddress('Preprod', scripts)), scripts)
 */
export function refsAddress(network: Network, scripts: LagoonScripts): string {
  const anchor = { type: 'Script' as const, hash: scripts.anchorHash }
  return credentialToAddress(network, anchor, anchor)
}

/**
 * Deploys an instance's reference-script UTxOs at {@link refsAddress}: the anchor validator with
 * the inline datum {@link EMPTY_HASHES_DATUM} (withdraws read the empty hashes from it) and the
 * deposit validator. Nothing can spend them, so they stay for the instance's life, and anyone finds
 * them with {@link findScriptRefs}. Their lovelace (the min UTxO of ≈ 3.5 KB of script, ≈ 22 ADA) is
 * locked for good.
 *
 * @example
 * const signed = await (await buildDeployRefsTx(lucid, scripts).tx.complete()).sign.withWallet().complete()
 */
export function buildDeployRefsTx(lucid: LucidEvolution, scripts: LagoonScripts): { tx: TxBuilder } {
  const at = refsAddress(lucid.config().network!, scripts)
  const tx = lucid
    .newTx()
    .pay.ToAddressWithData(at, { kind: 'inline', value: EMPTY_HASHES_DATUM }, {}, scripts.anchor)
    .pay.ToAddressWithData(at, undefined, {}, scripts.deposit)
  return { tx }
}

/**
 * The reference-script UTxOs of an instance among `utxos` (e.g. those at {@link refsAddress}):
 * `anchor` = one holding exactly the anchor validator and the inline datum {@link EMPTY_HASHES_DATUM},
 * `deposit` = one holding exactly the deposit validator. Either is left out when none is found; the
 * builders then attach the script. Who created a UTxO does not matter: the script bytes and the
 * table are compared in full.
 *
 * @example
 * const refs = findScriptRefs(await lucid.utxosAt(refsAddress(lucid.config().network!, scripts)), scripts)
 * buildWithdrawTx(lucid, scripts, { anchor, exits, newRoot, refs })
 */
export function findScriptRefs(utxos: readonly UTxO[], scripts: LagoonScripts): ScriptRefs {
  const refs: ScriptRefs = {}
  const anchor = utxos.find((u) => u.scriptRef?.script === scripts.anchor.script && holdsEmptyHashes(u))
  const deposit = utxos.find((u) => u.scriptRef?.script === scripts.deposit.script)
  if (anchor) refs.anchor = anchor
  if (deposit) refs.deposit = deposit
  return refs
}

function holdsEmptyHashes(u: UTxO): boolean {
  if (!u.datum) return false
  try {
    return Data.from(u.datum) === EMPTY_HASHES
  } catch {
    return false
  }
}
