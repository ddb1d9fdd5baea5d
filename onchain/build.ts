/**
 * Compiles the validators in onchain/src to a CIP-57 blueprint: onchain/plutus.json (optimized,
 * no traces) and onchain/plutus.debug.json (unoptimized, `error`/`assert` messages kept).
 * Run: npm run build:onchain
 *
 * compiledCode is single-CBOR-wrapped (as Aiken emits); Lucid needs applyDoubleCborEncoding(code).
 * A parameterised validator's compiledCode takes its parameters as leading lambdas (see params.ts):
 * apply them with Lucid's `applyParamsToScript(code, [..])`; `hash` is the unapplied code's hash.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { blake2b } from '@noble/hashes/blake2b'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { HELIOS_VERSION, SRC_DIR, compileSource, compiledCode, readSources, scriptHash } from './lib.js'
import { abstractParams, sentinelData, type ParamSentinel } from './params.js'

const OUT = dirname(fileURLToPath(import.meta.url))

const ref = (name: string) => ({ $ref: `#/definitions/${name}` })
const record = (title: string, fields: [string, string][]) => ({
  title,
  anyOf: [{ title, dataType: 'constructor', index: 0, fields: fields.map(([t, r]) => ({ title: t, ...ref(r) })) }],
})

/** CIP-57 schemas of the on-chain types (docs/onchain.md, "Datums and redeemers"), Aiken style. */
export const DEFINITIONS = {
  ByteArray: { dataType: 'bytes' },
  Int: { dataType: 'integer' },
  Data: { title: 'Data', description: 'Any Plutus data.' },
  PolicyId: { title: 'PolicyId', dataType: 'bytes' },
  ScriptHash: { title: 'ScriptHash', dataType: 'bytes' },
  VerificationKeyHash: { title: 'VerificationKeyHash', dataType: 'bytes' },
  PosixTime: { title: 'PosixTime', description: 'POSIX time in milliseconds', dataType: 'integer' },
  TransactionId: record('TransactionId', [['hash', 'ByteArray']]),
  OutputReference: record('OutputReference', [['transaction_id', 'TransactionId'], ['output_index', 'Int']]),
  Mode: {
    title: 'Mode',
    anyOf: [
      { title: 'Active', dataType: 'constructor', index: 0, fields: [] },
      { title: 'Frozen', dataType: 'constructor', index: 1, fields: [] },
    ],
  },
  'lagoon/AnchorDatum': record('AnchorDatum', [
    ['root', 'ByteArray'], ['batch', 'Int'], ['log_head', 'ByteArray'], ['log_seq', 'Int'], ['operator', 'VerificationKeyHash'],
    ['last_commit', 'PosixTime'], ['exodus_timeout', 'Int'], ['mode', 'Mode'], ['deposits_hash', 'ByteArray'],
  ]),
  'merkle/Leaf': record('Leaf', [['account', 'ByteArray'], ['balance', 'Int'], ['pending_exit', 'Int'], ['nonce', 'Int'], ['records_root', 'ByteArray']]),
  'lagoon/Exit': record('Exit', [['leaf', 'merkle/Leaf'], ['index', 'Int'], ['siblings', 'ByteArray']]),
  'List$lagoon/Exit': { dataType: 'list', items: ref('lagoon/Exit') },
  'lagoon/AnchorRedeemer': {
    title: 'AnchorRedeemer',
    anyOf: [
      { title: 'Commit', dataType: 'constructor', index: 0, fields: [] },
      { title: 'Withdraw', dataType: 'constructor', index: 1, fields: [{ title: 'exits', ...ref('List$lagoon/Exit') }, { title: 'empties', ...ref('ByteArray') }] },
      { title: 'Freeze', dataType: 'constructor', index: 2, fields: [] },
      { title: 'ExodusWithdraw', dataType: 'constructor', index: 3, fields: [{ title: 'exits', ...ref('List$lagoon/Exit') }, { title: 'empties', ...ref('ByteArray') }] },
    ],
  },
  'lagoon/DepositDatum': record('DepositDatum', [['owner', 'VerificationKeyHash'], ['refund_after', 'PosixTime']]),
  'lagoon/DepositRedeemer': {
    title: 'DepositRedeemer',
    anyOf: [
      { title: 'Absorb', dataType: 'constructor', index: 0, fields: [] },
      { title: 'Refund', dataType: 'constructor', index: 1, fields: [] },
    ],
  },
  'lagoon/AbsorbedDeposit': record('AbsorbedDeposit', [['out_ref', 'OutputReference'], ['owner', 'VerificationKeyHash'], ['amount', 'Int']]),
} as const

/** The sentinels compiled into the sources (`const` parameters), as Plutus-data CBOR hex. */
export const SENTINELS = {
  // Constr 0 [Constr 0 [B #5eed…], I 977]
  seed: 'd8799fd8799f5820' + '5eed'.repeat(16) + 'ff1903d1ff',
  instance: '581c' + '1a57a2ce'.repeat(7),
  deposit: '581c' + 'de905179'.repeat(7),
} as const

interface ValidatorSpec {
  file: string
  title: string
  datum?: string
  redeemer: string
  parameters: { title: keyof typeof SENTINELS; schema: string }[]
}

/** The validators, in blueprint order. */
export const VALIDATORS: ValidatorSpec[] = [
  { file: 'state_token.hl', title: 'state_token.mint', redeemer: 'Data', parameters: [{ title: 'seed', schema: 'OutputReference' }] },
  { file: 'deposit.hl', title: 'deposit.spend', datum: 'lagoon/DepositDatum', redeemer: 'lagoon/DepositRedeemer', parameters: [{ title: 'instance', schema: 'PolicyId' }] },
  {
    file: 'anchor.hl', title: 'anchor.spend', datum: 'lagoon/AnchorDatum', redeemer: 'lagoon/AnchorRedeemer',
    parameters: [{ title: 'instance', schema: 'PolicyId' }, { title: 'deposit', schema: 'ScriptHash' }],
  },
]

/** The files whose content determines the blueprint: the build's own code and the Helios compiler's version. */
const BUILD_FILES = ['build.ts', 'lib.ts', 'params.ts']

/**
 * blake2b-256 (hex) of everything the blueprint is compiled from: each `onchain/src/*.hl` (name and
 * text), `build.ts`, `lib.ts`, `params.ts` and the installed Helios compiler's version. Recorded in the
 * blueprint's preamble (`sourcesHash`) so a test can tell a stale blueprint without recompiling.
 *
 * @example
 * sourcesHash() === JSON.parse(readFileSync('onchain/plutus.json', 'utf8')).preamble.sourcesHash // when fresh
 */
export function sourcesHash(sources: Map<string, string> = readSources(SRC_DIR)): string {
  const helios = JSON.parse(readFileSync(join(OUT, '..', 'node_modules', '@helios-lang', 'compiler', 'package.json'), 'utf8')) as { version: string }
  const parts: string[] = [`helios ${helios.version}`]
  for (const [name, text] of [...sources.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(`src/${name}\n${text}`)
  for (const f of BUILD_FILES) parts.push(`${f}\n${readFileSync(join(OUT, f), 'utf8')}`)
  const bytes = new TextEncoder().encode(parts.map((p) => `${p.length}:${p}`).join(''))
  return Buffer.from(blake2b(bytes, { dkLen: 32 })).toString('hex')
}

/**
 * Builds the blueprint object for one build flavour (optimize = the release build).
 *
 * @example
 * JSON.stringify(blueprint(true)) === readFileSync('onchain/plutus.json', 'utf8').trim() // when fresh
 */
export function blueprint(optimize: boolean): object {
  const sources = readSources()
  const validators = VALIDATORS.map((v) => {
    const src = sources.get(v.file)
    if (src === undefined) throw new Error(`missing source ${v.file}`)
    const params: ParamSentinel[] = v.parameters.map((p) => ({ name: p.title, sentinel: SENTINELS[p.title] }))
    // The `const` parameter (upper-case title) is set to its sentinel as literal data, then abstracted.
    const consts = Object.fromEntries(params.map((p) => [`${v.title.split('.')[0]}::${p.name.toUpperCase()}`, sentinelData(p)]))
    const { program } = abstractParams(compileSource(src, { optimize, params: consts }, sources), params)
    return {
      title: v.title,
      ...(v.datum ? { datum: { title: 'datum', schema: ref(v.datum) } } : {}),
      redeemer: { title: 'redeemer', schema: ref(v.redeemer) },
      parameters: v.parameters.map((p) => ({ title: p.title, schema: ref(p.schema) })),
      compiledCode: compiledCode(program),
      hash: scriptHash(program),
    }
  })
  return {
    preamble: {
      title: 'lagoon/onchain',
      description: optimize ? 'Lagoon validators' : 'Lagoon validators (debug build: traces kept; for tests only)',
      version: '0.1.0',
      plutusVersion: 'v2',
      compiler: { name: 'helios', version: HELIOS_VERSION },
      license: 'Apache-2.0',
      sourcesHash: sourcesHash(sources),
    },
    validators,
    definitions: DEFINITIONS,
  }
}

/** The file text of a blueprint. */
export function blueprintText(optimize: boolean): string {
  return JSON.stringify(blueprint(optimize), null, 2) + '\n'
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(join(OUT, 'plutus.json'), blueprintText(true))
  writeFileSync(join(OUT, 'plutus.debug.json'), blueprintText(false))
  console.log('wrote plutus.json, plutus.debug.json')
}
