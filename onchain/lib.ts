/**
 * Helios 0.17.31 compile helpers for Lagoon's on-chain code: compile sources from `onchain/src`,
 * get the CBOR and script hash, and run compiled programs on Helios' CEK machine with Plutus data
 * built by Lucid (`Data.to`).
 */
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Program } from '@helios-lang/compiler'
import {
  decodeUplcData,
  makeUplcDataValue,
  type CekResult,
  type UplcData,
  type UplcProgramV2,
} from '@helios-lang/uplc'

/** Directory holding the Helios sources (`*.hl`). */
export const SRC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'src')

/** Helios compiler version the blueprint records. */
export const HELIOS_VERSION = '0.17.31'

/** Reads every `onchain/src/*.hl` file, keyed by file name. */
export function readSources(dir: string = SRC_DIR): Map<string, string> {
  const out = new Map<string, string>()
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.hl')) out.set(f, readFileSync(join(dir, f), 'utf8'))
  return out
}

/** The first line that is not a comment: `<purpose> <name>` (e.g. `spending anchor`, `module merkle`). */
export function header(src: string): { purpose: string; name: string } {
  for (const line of src.split('\n')) {
    const t = line.trim()
    if (t === '' || t.startsWith('//')) continue
    const [purpose, name] = t.split(/\s+/)
    return { purpose: purpose ?? '', name: name ?? '' }
  }
  throw new Error('empty Helios source')
}

/** Options of {@link compileSource}. */
export interface CompileOpts {
  /** true: optimized, no traces (the on-chain build); false: traces kept (`print`, error messages). */
  optimize: boolean
  /** Parameters (Helios `const`s) to replace before compiling, as Plutus data. */
  params?: Record<string, UplcData>
}

/**
 * Builds a Helios `Program` from a main source and every `module` source in `onchain/src`.
 * This is the exact 0.17.31 API: `new Program(main, { moduleSources, isTestnet: false })`.
 */
export function makeProgram(mainSrc: string, sources: Map<string, string> = readSources()): Program {
  const moduleSources = [...sources.values()].filter((s) => header(s).purpose === 'module' && s !== mainSrc)
  return new Program(mainSrc, { moduleSources, isTestnet: false })
}

/**
 * Compiles a Helios main source to a Plutus V2 program.
 * `program.compile({ optimize: true, withAlt: false })` gives the release build;
 * `program.compile(false)` the debug build (unoptimized, `print` traces and `error` messages kept).
 * Parameters are applied Helios-side with `program.changeParam(name, data)` before compiling.
 */
export function compileSource(mainSrc: string, opts: CompileOpts, sources?: Map<string, string>): UplcProgramV2 {
  const program = makeProgram(mainSrc, sources)
  for (const [name, data] of Object.entries(opts.params ?? {})) {
    if (!program.changeParam(name, data)) throw new Error(`unknown parameter ${name}`)
  }
  return opts.optimize ? program.compile({ optimize: true, withAlt: false }) : program.compile(false)
}

/** Compiles `onchain/src/<file>` (see {@link compileSource}). */
export function compileFile(file: string, opts: CompileOpts): UplcProgramV2 {
  const sources = readSources()
  const src = sources.get(file)
  if (src === undefined) throw new Error(`no such source ${file}`)
  return compileSource(src, opts, sources)
}

/** Hex of bytes. */
export function toHex(b: ArrayLike<number>): string {
  return Buffer.from(Uint8Array.from(b)).toString('hex')
}

/**
 * `compiledCode` as Aiken's blueprint has it: the flat-encoded program wrapped ONCE in a CBOR byte
 * string (`program.toCbor()`). Lucid wants it double-wrapped: `applyDoubleCborEncoding(code)`.
 */
export function compiledCode(program: UplcProgramV2): string {
  return toHex(program.toCbor())
}

/** Script hash (blake2b-224 of 0x02 ‖ compiledCode bytes), 28 bytes hex: `program.hash()`. */
export function scriptHash(program: UplcProgramV2): string {
  return toHex(program.hash())
}

/** Result of {@link evalProgram}. */
export interface EvalResult {
  /** The returned value as a string, or undefined when the script failed. */
  value: string | undefined
  /** The error message when the script failed (an `error("…")` / `assert` message in a debug build). */
  error: string | undefined
  mem: bigint
  cpu: bigint
  /** `print(...)` traces (debug builds only). */
  logs: string[]
}

/**
 * Runs a program on Helios' CEK machine (@helios-lang/uplc, default Plutus V2 cost model),
 * each argument given as CBOR hex of Plutus data (e.g. Lucid's `Data.to(...)`).
 */
export function evalProgram(program: UplcProgramV2, argsCbor: string[]): EvalResult {
  const args = argsCbor.map((h) => makeUplcDataValue(decodeUplcData(h)))
  const r: CekResult = program.eval(args)
  const logs = r.logs.map((l) => l.message)
  if ('left' in r.result) return { value: undefined, error: r.result.left.error, mem: r.cost.mem, cpu: r.cost.cpu, logs }
  const v = r.result.right
  return { value: typeof v === 'string' ? v : v.toString(), error: undefined, mem: r.cost.mem, cpu: r.cost.cpu, logs }
}
