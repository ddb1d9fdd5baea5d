import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLagoonClient, decodeProof, fromHex, leafHash, loadBlake2b256, toHex, verifyProof } from '@lagoon/sdk'
import { devnetReader, type L1Reader } from '@lagoon/sdk/audit-l1'
import { anchorDatumFromData } from '@lagoon/sdk/l1'
import type { LagoonNode } from '@lagoon/sequencer/node/openNode'
import type { RunningServer } from '@lagoon/sequencer/node/startServer'
import { startRelay, type RunningRelay } from '../src/index.js'
import { ADA, anchorOf, commitBatch, honestHistory, l1World, l2tx, startL1Node, submit, tempDir, type L1World } from '../../sdk/test/audit/l1World.js'

let w: L1World
let node: LagoonNode
let running: RunningServer
let url: string
const relays: RunningRelay[] = []
const servers: Server[] = []

beforeAll(async () => {
  w = await l1World()
  ;({ node, running, url } = await startL1Node(w))
}, 60_000)

afterAll(async () => {
  for (const r of relays) await r.stop()
  for (const s of servers) await new Promise((d) => s.close(d))
  await running?.stop()
})

const json = async (u: string) => (await fetch(u)).json() as Promise<any>

/** Waits for `cond`; on a timeout the error shows the relay's status and log lines (what it was doing). */
async function until(what: string, cond: () => Promise<boolean> | boolean, ms = 20_000, watched?: RunningRelay, lines?: readonly string[]): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await cond()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  const seen = watched ? `; relay ${JSON.stringify(watched.relay.status())}; its log: ${JSON.stringify(lines ?? [])}` : ''
  throw new Error(`timed out waiting for ${what}${seen}`)
}

async function relay(db: string, extra: Partial<Parameters<typeof startRelay>[0]> = {}): Promise<RunningRelay> {
  const r = await startRelay({ from: url, db, port: 0, pollMs: 50, verifyWorkers: 1, ...extra })
  relays.push(r)
  return r
}

describe('relay: follows a real node on the strict devnet, checks every batch, serves the read API', () => {
  const dir = tempDir()
  const dbPath = join(dir, 'relay.db')
  let r: RunningRelay
  const rootsAtBatches: { batch: number; relayRoot: string; nodeRoot: string }[] = []

  it('follows live from an empty log while the node works; its root equals the sequencer’s at every batch', async () => {
    const lines: string[] = []
    r = await relay(dbPath, { l1: { reader: devnetReader(w.devnet), instance: w.scripts }, log: (level, msg) => lines.push(`${level} ${msg}`) })
    // Every time the node confirms a batch, wait for the relay to check it and compare the roots.
    const seen = new Set<number>()
    node.l1!.poster.events.on('batch', (b: { number: number; status: string }) => {
      if (b.status === 'confirmed') seen.add(b.number)
    })
    await honestHistory(w, url, node)
    expect([...seen].sort()).toEqual([1, 2])
    const batches = (await json(`${url}/batches`)) as { number: number; root: string; lastSeq: number }[]
    await until('the relay checks batch 2', () => r.relay.status().checkedBatch === 2, 20_000, r, lines)
    for (const b of batches) {
      const proof = await json(`${r.url}/accounts/${toHex(w.users[0]!.account)}/proof?batch=${b.number}`)
      rootsAtBatches.push({ batch: b.number, relayRoot: proof.root, nodeRoot: b.root })
    }
    expect(rootsAtBatches.map((x) => x.relayRoot)).toEqual(batches.map((b) => b.root))
    const relayBatches = (await json(`${r.url}/batches`)) as { number: number; relayChecked: boolean }[]
    expect(relayBatches.map((b) => [b.number, b.relayChecked])).toEqual([[1, true], [2, true]])
    const [ns, rs] = [await json(`${url}/state`), await json(`${r.url}/state`)]
    expect(rs).toEqual(ns)
    expect(r.relay.status()).toMatchObject({ status: 'live', seq: ns.seq, checkedBatch: 2 })
    expect(lines).toContain('info following the live log') // GET /log/stream, not polling
    expect(lines.filter((l) => l.startsWith('info batch checked'))).toHaveLength(2)
    expect(lines.filter((l) => !l.startsWith('info'))).toEqual([])
  })

  it('serves the same reads as the node through createLagoonClient, and a proof that verifies against the on-chain root', async () => {
    const nodeClient = createLagoonClient({ url })
    const relayClient = createLagoonClient({ url: r.url })
    for (const u of w.users) {
      expect(await relayClient.getAccount({ account: u.account })).toEqual(await nodeClient.getAccount({ account: u.account }))
      for (const path of ['records', 'withdrawals']) {
        expect(await json(`${r.url}/accounts/${toHex(u.account)}/${path}`)).toEqual(await json(`${url}/accounts/${toHex(u.account)}/${path}`))
      }
    }
    const bob = w.users[1]!
    const relayProof = await json(`${r.url}/accounts/${toHex(bob.account)}/proof`)
    expect(relayProof).toEqual(await json(`${url}/accounts/${toHex(bob.account)}/proof`))
    const onChain = anchorDatumFromData((await anchorOf(w)).datum!)
    expect(relayProof.root).toBe(onChain.root)
    const hash = await loadBlake2b256()
    const l = relayProof.leaf
    const leaf = leafHash(hash, { account: fromHex(l.account), balance: BigInt(l.balance), pendingExit: BigInt(l.pendingExit), nonce: BigInt(l.nonce), recordsRoot: fromHex(l.recordsRoot) })
    expect(verifyProof(hash, fromHex(onChain.root), leaf, decodeProof(fromHex(relayProof.proof)))).toBe(true)
    expect(l.balance).toBe(String(14n * ADA))
    expect(await json(`${r.url}/accounts/${toHex(bob.account)}/withdrawals`)).toMatchObject([{ amount: String(4n * ADA), status: 'paid', batch: 1 }])
    // The log it serves is the node's, byte for byte.
    const [a, b] = await Promise.all([fetch(`${url}/log?from=1&limit=100`), fetch(`${r.url}/log?from=1&limit=100`)])
    expect(Buffer.from(await b.arrayBuffer())).toEqual(Buffer.from(await a.arrayBuffer()))
    const tip = await json(`${url}/state`)
    const receipt = await json(`${r.url}/receipts/${toHex(l2tx(w, w.users[0]!, 1, [{ type: 'transfer', to: bob.account, amount: 1n * ADA }]).id)}`)
    expect(receipt.seq).toBeLessThanOrEqual(tip.seq)
    expect((await fetch(`${r.url}/tx`, { method: 'POST' })).status).toBe(404)
    expect((await fetch(`${r.url}/accounts/zz`)).status).toBe(400)
  })

  it('restarts from its file: resumes after its last seq and checks the next batch', async () => {
    const before = r.relay.status().seq
    await r.stop()
    const [alice, bob] = w.users as [NonNullable<(typeof w.users)[0]>, NonNullable<(typeof w.users)[1]>]
    await submit(url, l2tx(w, alice, 2, [{ type: 'transfer', to: bob.account, amount: 2n * ADA }]))
    await submit(url, l2tx(w, bob, 1, [{ type: 'transfer', to: alice.account, amount: 1n * ADA }]))
    await commitBatch(w, node)
    r = await startRelay({ from: url, db: dbPath, port: 0, pollMs: 50, verifyWorkers: 1 })
    relays.push(r)
    // Opened from its file at the seq it stopped at (and the batches it had checked), before any download.
    expect(r.relay.status()).toMatchObject({ seq: before, checkedBatch: 2 })
    await until('the relay checks batch 3', () => r.relay.status().checkedBatch === 3)
    expect(await json(`${r.url}/state`)).toEqual(await json(`${url}/state`))
  })

  it('does not take a commitment posted between its GET /batches and its chain read for a hidden one', async () => {
    const [alice, bob] = w.users as [NonNullable<(typeof w.users)[0]>, NonNullable<(typeof w.users)[1]>]
    const reader = devnetReader(w.devnet)
    let raced = 0
    const racing: L1Reader = {
      ...reader,
      utxosAt: async (address) => {
        if (raced === 0) {
          // The relay has just listed the node's batches; now the node posts the next one, and it lands.
          raced = await (async () => {
            await submit(url, l2tx(w, bob, 2, [{ type: 'transfer', to: alice.account, amount: 1n * ADA }]))
            return commitBatch(w, node)
          })()
        }
        return reader.utxosAt(address)
      },
    }
    const lines: string[] = []
    const racer = await relay(join(dir, 'racer.db'), { l1: { reader: racing, instance: w.scripts }, log: (level, msg) => lines.push(`${level} ${msg}`) })
    await until('the racing relay checks the batch posted during its chain read', () => raced > 0 && racer.relay.status().checkedBatch === raced, 30_000, racer, lines)
    expect(racer.relay.status()).toMatchObject({ status: 'live', checkedBatch: raced })
    expect(lines.filter((l) => !l.startsWith('info'))).toEqual([])
  })

  it('stops and says so when the node lies about a batch root', async () => {
    const liar = await proxyNode(undefined, (path, body) => {
      if (!path.startsWith('/batches')) return body
      const rows = JSON.parse(body) as { number: number; root: string }[]
      return JSON.stringify(rows.map((b) => (b.number === 2 ? { ...b, root: '00'.repeat(32) } : b)))
    })
    const bad = await relay(join(dir, 'liar.db'), { from: liar })
    await until('the relay diverges', () => bad.relay.status().status === 'diverged')
    expect(bad.relay.status()).toMatchObject({ checkedBatch: 1, divergence: { kind: 'COMMITMENT_MISMATCH', batch: 2, field: 'root', found: '00'.repeat(32) } })
    const health = await fetch(`${bad.url}/health`)
    expect(health.status).toBe(503)
    expect((await health.json()).relay.status).toBe('diverged')
  })
})

/** An HTTP proxy to the node (its stream refused, so a relay polls), optionally rewriting JSON bodies. */
async function proxyNode(onRequest?: (path: string) => void, rewrite?: (path: string, body: string) => string): Promise<string> {
  const server = createServer(async (req, res) => {
    const path = req.url ?? '/'
    onRequest?.(path)
    if (path.startsWith('/log/stream')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"NOT_FOUND","message":"no stream"}')
      return
    }
    const up = await fetch(url + path)
    const type = up.headers.get('content-type') ?? ''
    const headers: Record<string, string> = { 'content-type': type }
    for (const h of ['lagoon-next-from', 'lagoon-log-seq']) if (up.headers.get(h)) headers[h] = up.headers.get(h)!
    if (type.includes('json') && rewrite) {
      res.writeHead(up.status, headers).end(rewrite(path, await up.text()))
      return
    }
    res.writeHead(up.status, headers).end(Buffer.from(await up.arrayBuffer()))
  })
  servers.push(server)
  await new Promise<void>((d) => server.listen(0, '127.0.0.1', d))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}
