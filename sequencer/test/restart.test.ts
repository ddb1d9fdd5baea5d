import { describe, expect, it } from 'vitest'
import { toHex } from '../../sdk/src/core/bytes.js'
import { keyTask, l1Hash, tx, user, type User } from '../../sdk/test/support/world.js'
import { openNode } from '../src/node/openNode.js'
import { SqliteState } from '../src/storage/SqliteState.js'
import { TaskLog } from '../src/storage/TaskLog.js'
import { openDatabase } from '../src/storage/openDatabase.js'
import { loadBlake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { client, keyJson } from './support/client.js'
import { replayLog } from './support/replay.js'
import { startTestNode, tempDb, testConfig } from './support/harness.js'

const te = (s: string) => new TextEncoder().encode(s)

async function traffic(url: string, token: string, users: User[], nonces: Map<User, number>, rounds: number) {
  const w = client(url, token)
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      users.map(async (u, i) => {
        const n = nonces.get(u) ?? 0
        const to = users[(i + 1) % users.length]!
        const actions = r % 3 === 0 ? [{ type: 'put' as const, key: te(`k${r % 5}`), value: te(`v${r}`) }, { type: 'transfer' as const, to: to.account, amount: 1000n + BigInt(r) }] : [{ type: 'transfer' as const, to: to.account, amount: 1000n + BigInt(r) }]
        const res = await w.postCbor('/tx', tx(u, n, actions).bytes)
        expect(res.status).toBe(200)
        nonces.set(u, n + 1)
      }),
    )
  }
}

describe('restart', () => {
  const users = [1, 2, 3, 4, 5].map(user)

  it('continues from the file with the root a fresh replay of GET /log computes (clean close, then crash)', async () => {
    const db = tempDb()
    const nonces = new Map<User, number>()
    let t = await startTestNode(db)
    const w = client(t.url, t.tokens.wallet)
    for (const [i, u] of users.entries()) {
      expect((await w.postJson('/accounts/register', keyJson(keyTask(u)))).status).toBe(200)
      await t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(i), index: 0, owner: u.account, amount: 100_000_000n })
    }
    await traffic(t.url, t.tokens.wallet, users, nonces, 6)
    const before = (await w.get('/state')).json
    const wallet = t.tokens.wallet
    await t.stop() // clean: queue applied, tree levels snapshotted

    // 1. Clean restart: the tree comes back from the level snapshot, without hashing.
    t = await startTestNode(db)
    expect(t.node.sequencer.state.treeRestoredFrom).toBe('levels')
    const w2 = client(t.url, wallet) // tokens survive restarts
    const after = (await w2.get('/state')).json
    expect(after).toEqual(before)
    expect((await replayLog(t.url, 7)).root).toBe(after.root)
    await traffic(t.url, wallet, users, nonces, 4)

    // 2. Crash: the file is closed with stale leaves and no current snapshot.
    await t.node.sequencer.idle()
    const mid = (await w2.get('/state')).json
    await traffic(t.url, wallet, users, nonces, 2) // leaves of these are stale (no root() since)
    await t.node.sequencer.idle()
    await new Promise<void>((r) => t.running.server.close(() => r()))
    ;(t.running.server as { closeAllConnections?: () => void }).closeAllConnections?.()
    await t.node.pool?.close()
    t.node.db.close()
    expect(mid.seq).toBeGreaterThan(before.seq)

    t = await startTestNode(db)
    expect(t.node.sequencer.state.treeRestoredFrom).toBe('leaves')
    const w3 = client(t.url, wallet)
    const s3 = (await w3.get('/state')).json
    const replay = await replayLog(t.url, 50)
    expect(replay.seq).toBe(s3.seq)
    expect(replay.head).toBe(s3.logHead)
    expect(replay.root).toBe(s3.root)
    // And it keeps going: nonces continue where they were.
    await traffic(t.url, wallet, users, nonces, 2)
    const s4 = (await w3.get('/state')).json
    expect((await replayLog(t.url, 50)).root).toBe(s4.root)
    expect((await w3.get(`/accounts/${toHex(users[0]!.account)}`)).json.nonce).toBe(nonces.get(users[0]!))
    await t.stop()
  })

  it('rebuilds a tree from stored leaves that equals the level snapshot', async () => {
    const db = tempDb()
    const node = await openNode(testConfig(db, { verifyWorkers: 0 }))
    for (let i = 0; i < 300; i++) await node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(i), index: 0, owner: user((i % 200) + 1).account, amount: 5_000_000n + BigInt(i) })
    const root = toHex(node.sequencer.state.root())
    await node.close()
    const hash = await loadBlake2b256()
    const file = openDatabase(db)
    const seq = new TaskLog(file).tip().seq
    expect(toHex(SqliteState.load(file, hash, seq).root())).toBe(root)
    expect(toHex(SqliteState.load(file, hash, seq + 1).root())).toBe(root) // snapshot not current: from leaves
    file.close()
  })
})
