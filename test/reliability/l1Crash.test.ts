import { describe, expect, it } from 'vitest'
import { toHex } from '../../sdk/src/core/bytes.js'
import { L1_CRASH_POINTS, runL1CrashTrial } from '../../scripts/reliability/l1CrashTrial.js'
import { ADA, crash, deposit, disposeWorld, l1World, openWorldNode, registerAll, worldChain } from './support/l1World.js'
import { replayNodeLog } from './support/replayNodeLog.js'

// A kill during a commitment being posted and during an exit payment, with a chain that outlives
// the node (scripts/reliability/l1CrashTrial.ts): after the restart nothing is posted twice, every
// exit is paid exactly once, the root equals a fresh replay and conservation is exact.
describe('crash during layer-1 posting (chain outlives the node)', () => {
  it('a crash right after the follower credited a deposit restarts with the state a replay of the log gives', async () => {
    const w = await l1World(2)
    const chain = await worldChain(w)
    let node = await openWorldNode(w, chain)
    try {
      await registerAll(w, node)
      await deposit(w, w.users[0]!, 40n * ADA)
      w.devnet.awaitBlock(3)
      await node.l1!.tick()
      const before = toHex(node.sequencer.state.root())
      expect(replayNodeLog(node).root).toBe(before)
      await crash(node)
      node = await openWorldNode(w, chain)
      expect(toHex(node.sequencer.state.root())).toBe(before)
      expect(node.sequencer.state.getAccount(w.users[0]!.account)?.balance).toBe(40n * ADA)
    } finally {
      await node.close()
      disposeWorld(w)
    }
  })

  for (const [i, point] of L1_CRASH_POINTS.entries()) {
    it(`kill at ${point}`, async () => {
      const r = await runL1CrashTrial(point, { seed: i + 1 })
      expect(r.problems).toEqual([])
      expect(r.restarts).toBe(1)
      expect(r.commits).toBe(1)
    }, 120_000)
  }
})
