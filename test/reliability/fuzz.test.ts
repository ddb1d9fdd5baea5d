import { describe, expect, it } from 'vitest'
import { runFuzz } from '../../scripts/reliability/fuzz/runFuzz.js'
import { startTestNode } from '../../sequencer/test/support/harness.js'

// The short CI version of `npm run reliability:fuzz` (scripts/reliability/fuzz/runFuzz.ts): hostile
// requests on every route of a real node in a child process.
describe('hostile input', () => {
  it('2,000 generated and mutated requests: no 5xx, every 4xx with a code, process up, state changed only by the valid txs', async () => {
    const run = await runFuzz({ requests: 2000, concurrency: 16, seed: 11 })
    expect(run.problems).toEqual([])
    expect(run.processAlive).toBe(true)
    expect(run.stateMatchesReplay).toBe(true)
    expect(run.unexpectedLogEntries).toBe(0)
    expect(run.validApplied).toBe(run.validSent)
    expect(run.ok).toBe(true)
    // The run reached the parsers, not only the auth check.
    expect(Object.keys(run.byCode).filter((k) => /MALFORMED_CBOR|NON_CANONICAL|BAD_SHAPE|BAD_SIGNATURE|WRONG_INSTANCE/.test(k)).length).toBeGreaterThanOrEqual(4)
  }, 300_000)

  it('what the fuzzer found: parameters and JSON keys named after Object.prototype members are 400 BAD_REQUEST, not 500', async () => {
    const t = await startTestNode()
    try {
      for (const path of ['/state?__proto__=1', '/health?constructor=x', '/log?toString=1&from=1', '/accounts/00/records?__proto__=0']) {
        const res = await fetch(t.url + path)
        expect(res.status, path).toBeLessThan(500)
        expect((await res.json()) as { code: string }, path).toMatchObject({ code: expect.stringMatching(/^[A-Z_]+$/) })
      }
      for (const key of ['__proto__', 'constructor', 'hasOwnProperty']) {
        const res = await fetch(`${t.url}/accounts/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tokens.wallet}` },
          body: `{"account":"${'ab'.repeat(28)}","signature":"00","key":"00","${key}":{"x":1}}`,
        })
        expect(res.status, key).toBe(400)
        expect(((await res.json()) as { code: string }).code).toBe('BAD_REQUEST')
      }
    } finally {
      await t.stop()
    }
  })
})
