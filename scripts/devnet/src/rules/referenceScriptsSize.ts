import { CML, type UTxO } from '@lucid-evolution/lucid'

/**
 * The size the ledger counts for a UTxO's reference script (`originalBytesSize`, the bytes the
 * script hash is taken over, minus the language tag): for a Plutus script its flat bytes with their
 * one CBOR byte-string header, for a native script its CBOR. Lucid stores a Plutus script
 * double-wrapped (`scriptRef.script`), one header more than the ledger counts. 0 without a script.
 *
 * @example
 * referenceScriptSize(utxo) // 111 for a script Lucid holds as 113 bytes of hex
 */
export function referenceScriptSize(u: UTxO): number {
  const ref = u.scriptRef
  if (!ref) return 0
  switch (ref.type) {
    case 'PlutusV1':
      return CML.PlutusV1Script.from_cbor_hex(ref.script).to_raw_bytes().length
    case 'PlutusV2':
      return CML.PlutusV2Script.from_cbor_hex(ref.script).to_raw_bytes().length
    case 'PlutusV3':
      return CML.PlutusV3Script.from_cbor_hex(ref.script).to_raw_bytes().length
    default:
      return ref.script.length / 2
  }
}

/**
 * The total reference-script size of a tx as Conway's `txNonDistinctRefScriptsSize` counts it: over
 * the set union of its spent and reference inputs (a UTxO that is both counts once), every UTxO's
 * script counted, the same script in two UTxOs twice.
 *
 * @example
 * referenceScriptsSize([...ctx.inputs, ...ctx.referenceInputs])
 */
export function referenceScriptsSize(utxos: readonly UTxO[]): number {
  const seen = new Set<string>()
  let total = 0
  for (const u of utxos) {
    const ref = `${u.txHash}#${u.outputIndex}`
    if (seen.has(ref)) continue
    seen.add(ref)
    total += referenceScriptSize(u)
  }
  return total
}
