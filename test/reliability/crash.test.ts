import { describe, expect, it } from 'vitest'
import { runCrashTrials } from '../../scripts/reliability/crashTrials.js'
import { LogMirror } from '../../scripts/reliability/LogMirror.js'
import { loadBlake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { l1Hash, user } from '../../sdk/test/support/world.js'
import { startTestNode } from '../../sequencer/test/support/harness.js'

// The short CI version of `npm run reliability:crash` (scripts/reliability/crash.ts): a child-process
// node under a steady load of signed transfers, killed with SIGKILL at random moments and restarted.
describe('crash safety: kill -9 under load', () => {
  it('3 kills: every acknowledged receipt in the log, nothing applied twice, root = fresh replay', async () => {
    const run = await runCrashTrials({ trials: 3, users: 8, seed: 7, maxMs: 800 })
    expect(run.trials.flatMap((t) => t.problems)).toEqual([])
    expect(run.trials).toHaveLength(3)
    expect(run.totalAcked).toBeGreaterThan(0)
    for (const t of run.trials) expect(t).toMatchObject({ lost: 0, duplicates: 0, rootMatches: true })
  }, 240_000)

  it("the auditor's mirror catches a log that changed under an entry it already served", async () => {
    const [a, b] = [await startTestNode(), await startTestNode()]
    try {
      await a.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(1), index: 0, owner: user(1).account, amount: 5_000_000n })
      await b.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(2), index: 0, owner: user(1).account, amount: 5_000_000n })
      const mirror = new LogMirror(await loadBlake2b256())
      await mirror.pull(a.url, a.tokens.admin)
      expect(mirror.seq).toBe(1)
      await expect(mirror.pull(b.url, b.tokens.admin)).rejects.toThrow(/forked/)
    } finally {
      await a.stop()
      await b.stop()
    }
  })
})
