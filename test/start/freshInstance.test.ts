/**
 * Every `npm start` mints a new instance (issue 14, item 6): the seed is an output of a transaction made
 * at start, not the devnet's genesis output `00…00#0`, so the instance id differs between runs and a
 * registration signed for one demo is not valid on the next (its CIP-8 message names the instance).
 * The embedded devnet backend of the node does the same.
 */
import { describe, expect, it } from 'vitest'
import { openConfiguredChain } from '../../sequencer/src/l1/openConfiguredChain.js'
import { startLagoon } from '../../scripts/start/startLagoon.js'

const GENESIS = /^0{64}$/
const quiet = () => {}

describe('a fresh instance at every start', () => {
  it('npm start (startLagoon): two runs, two instance ids, neither from a genesis output', async () => {
    const seen: { instance: string; seed: string }[] = []
    for (let i = 0; i < 2; i++) {
      const lagoon = await startLagoon({ port: 0, web: false, blockMs: 200, log: quiet })
      try {
        const info = (await (await fetch(`${lagoon.nodeUrl}/instance`)).json()) as { instance: string; seed: string }
        expect(info.instance).toBe(lagoon.instance)
        expect(info.seed).toMatch(/^[0-9a-f]{64}#\d+$/)
        expect(info.seed.split('#')[0]).not.toMatch(GENESIS)
        seen.push(info)
      } finally {
        await lagoon.stop()
      }
    }
    expect(seen[0]!.instance).not.toBe(seen[1]!.instance)
    expect(seen[0]!.seed).not.toBe(seen[1]!.seed)
  }, 120_000)

  it('the node’s embedded devnet (l1.backend devnet): the same', async () => {
    const first = await openConfiguredChain({ backend: 'devnet' }, quiet)
    const a = first.scripts
    first.chain.close()
    const second = await openConfiguredChain({ backend: 'devnet' }, quiet)
    const b = second.scripts
    second.chain.close()
    for (const s of [a, b]) expect(s.seed.txHash).not.toMatch(GENESIS)
    expect(a.policyId).not.toBe(b.policyId)
  }, 120_000)
})
