import { CML, getAddressDetails } from '@lucid-evolution/lucid'
import { DevnetRuleError } from '../DevnetRuleError.js'
import { listRedeemers, redeemerName } from '../redeemers.js'
import { neededWitnesses } from './neededWitnesses.js'
import { providedScripts } from './providedScripts.js'
import type { RuleContext } from './RuleContext.js'

/**
 * The witness rules (Conway UTXOW), against what the ledger needs (`neededWitnesses`):
 * - every vkey witness signs the tx body (`INVALID_SIGNATURE`);
 * - no collateral input is locked by a script (`COLLATERAL_LOCKED_BY_SCRIPT`);
 * - every needed key hash has a vkey witness (`MISSING_SIGNATURE`);
 * - every needed script is provided, in the witness set or as a reference script
 *   (`MISSING_SCRIPT_WITNESS`); a native one validates with the tx's signers and validity interval
 *   (`NATIVE_SCRIPT_FAILED`), a Plutus one has its redeemer (`MISSING_REDEEMER`) — it runs in phase 2;
 * - nothing extra: every redeemer is for a needed Plutus script (`EXTRA_REDEEMER`), every witness-set
 *   script is needed, every witness datum is one a spent, read or created output names by hash, and
 *   every vkey witness is needed or named by a needed native script (`EXTRANEOUS_WITNESS`; the last
 *   is the devnet's own strictness: a node accepts an extra signature).
 *
 * @example
 * checkWitnesses(ctx)
 */
export function checkWitnesses(ctx: RuleContext): void {
  const ws = ctx.tx.witness_set()
  const signed = new Set<string>()
  const vkeys = ws.vkeywitnesses()
  const bodyHash = Buffer.from(ctx.txHash, 'hex')
  for (let i = 0; i < (vkeys?.len() ?? 0); i++) {
    const w = vkeys!.get(i)
    const keyHash = w.vkey().hash().to_hex()
    if (!w.vkey().verify(bodyHash, w.ed25519_signature())) {
      throw new DevnetRuleError('INVALID_SIGNATURE', `vkey witness of ${keyHash} does not sign this tx body`, { details: { keyHash } })
    }
    signed.add(keyHash)
  }
  for (const u of ctx.collateralInputs) {
    if (getAddressDetails(u.address).paymentCredential?.type !== 'Key') {
      throw new DevnetRuleError('COLLATERAL_LOCKED_BY_SCRIPT', `collateral input ${u.txHash}#${u.outputIndex} is not at a key address`, {
        details: { txHash: u.txHash, outputIndex: u.outputIndex, address: u.address },
      })
    }
  }
  const needed = neededWitnesses(ctx)
  for (const [keyHash, purpose] of needed.keys) {
    if (!signed.has(keyHash)) throw new DevnetRuleError('MISSING_SIGNATURE', `missing vkey witness of ${keyHash} (for ${purpose})`, { details: { keyHash, purpose } })
  }

  const provided = providedScripts(ctx)
  const redeemers = new Set(listRedeemers(ws).map((r) => redeemerName(r)))
  const usedKeys = new Set(needed.keys.keys())
  const runs = new Set<string>()
  const signerList = CML.Ed25519KeyHashList.new()
  for (const h of signed) signerList.add(CML.Ed25519KeyHash.from_hex(h))
  for (const s of needed.scripts) {
    const script = provided.get(s.hash)
    const at = { scriptHash: s.hash, purpose: s.purpose }
    if (!script) throw new DevnetRuleError('MISSING_SCRIPT_WITNESS', `missing script ${s.hash} (for ${s.purpose}): neither in the witness set nor a reference script`, { details: at })
    if (script.native) {
      if (!script.native.verify(ctx.body.validity_interval_start(), ctx.body.ttl(), signerList)) {
        throw new DevnetRuleError('NATIVE_SCRIPT_FAILED', `native script ${s.hash} (for ${s.purpose}) does not validate with this tx's signers and validity interval`, { details: at })
      }
      const named = script.native.get_required_signers()
      for (let i = 0; i < named.len(); i++) usedKeys.add(named.get(i).to_hex())
      continue
    }
    const name = redeemerName({ tag: s.tag, index: BigInt(s.index) })
    if (!redeemers.has(name)) throw new DevnetRuleError('MISSING_REDEEMER', `Plutus script ${s.hash} (for ${s.purpose}) has no redeemer ${name}`, { details: { ...at, redeemer: name } })
    runs.add(name)
  }

  for (const name of redeemers) {
    if (!runs.has(name)) throw new DevnetRuleError('EXTRA_REDEEMER', `redeemer ${name} is for no Plutus script the tx needs`, { details: { redeemer: name } })
  }
  const neededHashes = new Set(needed.scripts.map((s) => s.hash))
  for (const [hash, s] of provided) {
    if (s.inWitnessSet && !neededHashes.has(hash)) throw new DevnetRuleError('EXTRANEOUS_WITNESS', `witness-set script ${hash} is not needed by the tx`, { details: { scriptHash: hash } })
  }
  for (const keyHash of signed) {
    if (!usedKeys.has(keyHash)) throw new DevnetRuleError('EXTRANEOUS_WITNESS', `vkey witness of ${keyHash} is not needed by the tx`, { details: { keyHash } })
  }
  checkDatums(ctx)
}

function checkDatums(ctx: RuleContext): void {
  const datums = ctx.tx.witness_set().plutus_datums()
  if (!datums || datums.len() === 0) return
  const allowed = new Set<string>()
  for (const u of [...ctx.inputs, ...ctx.referenceInputs]) if (u.datumHash) allowed.add(u.datumHash)
  const outputs = ctx.body.outputs()
  for (let i = 0; i < outputs.len(); i++) {
    const h = outputs.get(i).datum()?.as_hash()?.to_hex()
    if (h) allowed.add(h)
  }
  for (let i = 0; i < datums.len(); i++) {
    const hash = CML.hash_plutus_data(datums.get(i)).to_hex()
    if (!allowed.has(hash)) throw new DevnetRuleError('EXTRANEOUS_WITNESS', `witness datum ${hash} is named by no spent, read or created output`, { details: { datumHash: hash } })
  }
}
