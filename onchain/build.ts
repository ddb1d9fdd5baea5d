/**
 * Compiles every non-module Helios source in onchain/src to a CIP-57 blueprint:
 * onchain/plutus.json (optimized, no traces) and onchain/plutus.debug.json (unoptimized, traces).
 * Run: npx tsx onchain/build.ts
 * compiledCode is single-CBOR-wrapped (as Aiken emits); Lucid needs applyDoubleCborEncoding(code).
 */
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { HELIOS_VERSION, compileSource, compiledCode, header, readSources, scriptHash } from './lib.js'

const OUT = dirname(fileURLToPath(import.meta.url))

/** Builds the blueprint object for one build flavour. */
export function blueprint(optimize: boolean): object {
  const sources = readSources()
  const validators = []
  for (const [file, src] of sources) {
    const { purpose, name } = header(src)
    if (purpose === 'module' || purpose === 'testing') continue
    const program = compileSource(src, { optimize }, sources)
    validators.push({
      title: `${name}.${purpose === 'minting' ? 'mint' : 'spend'}`,
      ...(purpose === 'minting' ? {} : { datum: { title: 'datum', schema: {} } }),
      redeemer: { title: 'redeemer', schema: {} },
      ...(name === 'one_shot'
        ? { parameters: [{ title: 'seed', schema: { title: 'OutputReference', dataType: 'constructor', index: 0, fields: [{ title: 'transaction_id', dataType: 'bytes' }, { title: 'output_index', dataType: 'integer' }] } }] }
        : {}),
      compiledCode: compiledCode(program),
      hash: scriptHash(program),
      source: file,
    })
  }
  return {
    preamble: { title: 'lagoon/onchain', description: 'Lagoon validators', version: '0.1.0', plutusVersion: 'v2', compiler: { name: 'helios', version: HELIOS_VERSION }, license: 'Apache-2.0' },
    validators,
    definitions: {},
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(OUT, 'plutus.json'), JSON.stringify(blueprint(true), null, 2) + '\n')
  writeFileSync(join(OUT, 'plutus.debug.json'), JSON.stringify(blueprint(false), null, 2) + '\n')
  console.log('wrote plutus.json, plutus.debug.json')
}
