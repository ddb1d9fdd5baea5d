import { describe, expect, it } from 'vitest'
import { Constr, Data, type UTxO } from '@lucid-evolution/lucid'
import { depositDatumToData } from '../../sdk/src/l1/index.js'
import { depositProblem } from '../src/l1/Follower.js'

const settings = { absorptionMarginMs: 3_600_000, minDepositLovelace: 1_000_000n }
const now = 1_000_000
const owner = 'ab'.repeat(28)
const datum = Data.to(depositDatumToData({ owner, refundAfter: BigInt(now + 2 * 3_600_000) }))
const base: UTxO = { txHash: '00'.repeat(32), outputIndex: 0, address: 'addr_test1', assets: { lovelace: 5_000_000n }, datum }

describe('depositProblem: only the deposit datum, inline, and nothing else is credited', () => {
  it('a plain deposit is creditable', () => {
    expect(depositProblem(base, now, settings)).toBeNull()
  })
  it.each([
    ['no datum', { datum: undefined }, 'BAD_DATUM'],
    // A provider that resolves datum hashes (Kupmios does) gives both: still not an inline datum.
    ['a datum hash, even resolved', { datumHash: 'cd'.repeat(32) }, 'BAD_DATUM'],
    ['a third field', { datum: Data.to(new Constr(0, [owner, 5n, 7n])) }, 'BAD_DATUM'],
    ['an owner of 27 bytes', { datum: Data.to(new Constr(0, ['ab'.repeat(27), BigInt(now + 2 * 3_600_000)])) }, 'BAD_DATUM'],
    ['a refund time of 2^64', { datum: Data.to(new Constr(0, [owner, 1n << 64n])) }, 'BAD_DATUM'],
    ['a third field of 40 bytes', { datum: Data.to(new Constr(0, [owner, BigInt(now + 2 * 3_600_000), 'ee'.repeat(40)])) }, 'BAD_DATUM'],
    // The right shape, padded: the refund time as a 64-byte bignum (decodes to the same integer).
    ['a deposit datum padded past 64 bytes', { datum: `d8799f581c${owner}c25840${'00'.repeat(56)}${BigInt(now + 2 * 3_600_000).toString(16).padStart(16, '0')}ff` }, 'BAD_DATUM'],
    ['a reference script', { scriptRef: { type: 'PlutusV2', script: '4e4d01000033222220051200120011' } }, 'HAS_SCRIPT'],
    ['a token besides ADA', { assets: { lovelace: 5_000_000n, ['aa'.repeat(28) + '01']: 1n } }, 'NOT_ADA_ONLY'],
    ['dust', { assets: { lovelace: 999_999n } }, 'TOO_SMALL'],
    ['a refund time within the margin', { datum: Data.to(depositDatumToData({ owner, refundAfter: BigInt(now + 3_600_000) })) }, 'REFUND_TOO_SOON'],
  ] as const)('%s → %s', (_what, change, problem) => {
    expect(depositProblem({ ...base, ...change } as UTxO, now, settings)).toBe(problem)
  })
})
