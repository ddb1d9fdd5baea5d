import { describe, expect, it } from 'vitest'
import { referenceScriptFee } from '../src/index.js'
import { toFraction } from '../src/rational.js'
import { extractLogs } from '../src/rules/runPhaseTwo.js'

describe('fee arithmetic', () => {
  it('reads Lucid prices as exact fractions', () => {
    expect(toFraction(0.0577)).toEqual({ num: 577n, den: 10000n })
    expect(toFraction(0.0000721)).toEqual({ num: 721n, den: 10000000n })
    expect(toFraction(7.21e-7)).toEqual({ num: 721n, den: 1000000000n })
  })

  it('prices reference scripts in Conway tiers of 25,600 bytes, ×1.2 per tier', () => {
    expect(referenceScriptFee(0, 15)).toBe(0n)
    expect(referenceScriptFee(1000, 15)).toBe(15000n)
    expect(referenceScriptFee(26000, 15)).toBe(25600n * 15n + 400n * 18n)
    expect(referenceScriptFee(51300, 15)).toBe(25600n * 15n + 25600n * 18n + 100n * 21n + 60n) // 100 × 21.6
  })

  it('extracts the script trace from an evaluator message', () => {
    expect(extractLogs('failed script execution\n  Spend[0] crashed\n    Trace a\n    Trace b')).toEqual(['a', 'b'])
    expect(extractLogs('no traces here')).toEqual([])
  })
})
