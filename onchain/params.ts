/**
 * Script parameters the Aiken way: the blueprint's compiledCode is `\p1 -> \p2 -> … -> validator`,
 * so off-chain code applies them with Lucid's `applyParamsToScript(code, [p1, p2])` without the sources.
 *
 * Helios 0.17 has no parameter lambdas: a parameter is a `const` whose value is inlined. So each
 * parameter is declared with a unique sentinel value; after compiling, every constant equal to the
 * sentinel — as Plutus data (`B #…`, `Constr …`) or, once the optimizer unwrapped it, as a bytestring —
 * is replaced by the lambda's variable (respectively `unBData var`), and the root is wrapped in one
 * lambda per parameter. The build fails if a sentinel is not found, or is found in any other form.
 */
import {
  builtinsV2,
  decodeUplcData,
  makeUplcBuiltin,
  makeUplcCall,
  makeUplcDelay,
  makeUplcForce,
  makeUplcLambda,
  makeUplcProgramV2,
  makeUplcVar,
  type UplcData,
  type UplcProgramV2,
  type UplcTerm,
} from '@helios-lang/uplc'

/** One parameter: its name and its sentinel, as Plutus-data CBOR hex. */
export interface ParamSentinel {
  name: string
  /** CBOR hex of the sentinel Plutus data compiled into the source. */
  sentinel: string
}

const UN_B_DATA = builtinsV2.findIndex((b) => b.name === 'unBData')

/**
 * Wraps `program` in one lambda per parameter (first = outermost) and replaces the sentinels by
 * the lambdas' variables. Returns the new program and how many occurrences each parameter had.
 *
 * @example
 * const { program } = abstractParams(compiled, [{ name: 'seed', sentinel: Data.to(seedSentinel) }])
 */
export function abstractParams(program: UplcProgramV2, params: readonly ParamSentinel[]): { program: UplcProgramV2; uses: number[] } {
  const data = params.map((p) => decodeUplcData(p.sentinel))
  const dataHex = data.map((d) => Buffer.from(d.toCbor()).toString('hex'))
  const bytesHex = data.map((d) => (d.kind === 'bytes' ? Buffer.from(d.bytes).toString('hex') : undefined))
  const uses = params.map(() => 0)
  const n = params.length
  const allSentinelBytes = dataHex

  const walk = (t: UplcTerm, depth: number): UplcTerm => {
    switch (t.kind) {
      case 'lambda':
        return makeUplcLambda({ body: walk(t.expr, depth + 1), argName: t.argName })
      case 'call':
        return makeUplcCall({ fn: walk(t.fn, depth), arg: walk(t.arg, depth) })
      case 'delay':
        return makeUplcDelay({ arg: walk(t.arg, depth) })
      case 'force':
        return makeUplcForce({ arg: walk(t.arg, depth) })
      case 'const': {
        const v = t.value
        // Parameter j (0-based, outermost first) is bound n - j lambdas above the original root.
        const varFor = (j: number) => makeUplcVar({ index: depth + (n - j) })
        if (v.kind === 'data') {
          const hex = Buffer.from(v.value.toCbor()).toString('hex')
          const j = dataHex.indexOf(hex)
          if (j >= 0) { uses[j]!++; return varFor(j) }
          for (const s of allSentinelBytes) if (hex.includes(s.slice(4))) throw new Error(`a parameter sentinel is nested in a data constant: ${hex}`)
        } else if (v.kind === 'bytes') {
          const hex = Buffer.from(v.bytes).toString('hex')
          const j = bytesHex.indexOf(hex)
          if (j >= 0) {
            uses[j]!++
            return makeUplcCall({ fn: makeUplcBuiltin({ id: UN_B_DATA, name: 'unBData' }), arg: varFor(j) })
          }
          for (const b of bytesHex) if (b !== undefined && hex.includes(b)) throw new Error('a parameter sentinel is part of a bytestring constant')
        }
        return t
      }
      default:
        return t
    }
  }
  let root = walk(program.root, 0)
  for (let j = n - 1; j >= 0; j--) root = makeUplcLambda({ body: root, argName: params[j]!.name })
  uses.forEach((u, j) => {
    if (u === 0) throw new Error(`parameter ${params[j]!.name}: sentinel not found in the compiled code`)
  })
  return { program: makeUplcProgramV2(root), uses }
}

/** Plutus data of a sentinel, for tests. */
export function sentinelData(p: ParamSentinel): UplcData {
  return decodeUplcData(p.sentinel)
}
