/**
 * A malicious operator and a malicious node, built from the real thing: the node's own sequencer driven
 * to insert tasks layer 1 never saw (a phantom deposit credit, a phantom exit payment), and an HTTP
 * proxy in front of a real node that withholds the tail of its log. Shared by the auditor, CLI and
 * relay tests of issue 14.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LagoonNode } from '../../../sequencer/src/node/openNode.js'
import { fromHex, toHex } from '../../src/core/bytes.js'
import { encodeCanonical } from '../../src/core/cbor/canonical.js'
import { createLagoonClient, getLogPage } from '../../src/index.js'
import { ADA, commitBatch, driveUntil, l2tx, submit, type L1World } from './l1World.js'
import { l1Hash, type User } from '../support/world.js'

/**
 * The operator credits `amount` to `owner` for an out-ref layer 1 never had; returns it (`txHash#0`)
 * and the credit's seq. An honest poster halts on a credit it cannot absorb, so the operator also
 * marks it absorbed in his own node's table: his poster then commits past it, as a dishonest one would.
 */
export async function phantomDeposit(node: LagoonNode, owner: User, amount: bigint, n = 14_001): Promise<{ outRef: string; seq: number }> {
  const txHash = l1Hash(n)
  const r = await node.sequencer.submitTask({ kind: 'deposit', txHash, index: 0, owner: owner.account, amount })
  node.db.prepare(`UPDATE deposits SET status = 'absorbed' WHERE tx_hash = ? AND out_index = 0`).run(txHash)
  return { outRef: `${toHex(txHash)}#0`, seq: r.seq }
}

/** The operator records `amount` of `account`'s pending exit as paid by `txHash` (hex), which paid nothing of the kind; returns the task's seq. */
export async function phantomExit(node: LagoonNode, account: User, amount: bigint, txHash: string): Promise<number> {
  return (await node.sequencer.submitTask({ kind: 'exitPaid', account: account.account, amount, txHash: fromHex(txHash) })).seq
}

const balanceOf = async (url: string, u: User) => {
  const res = await fetch(`${url}/accounts/${toHex(u.account)}`)
  return res.status === 200 ? ((await res.json()) as { balance: string; pendingExit: string }) : undefined
}

/**
 * The fraud of issue 14 item 1 on top of the honest history: 30 ADA credited to Bob from nothing, Bob
 * withdraws 40 (more than he ever deposited), batch 3 commits it (without absorbing the phantom: it
 * does not exist) and the poster pays Bob on layer 1 from the anchor. Returns the phantom credit.
 */
export async function phantomDepositWithdrawn(w: L1World, url: string, node: LagoonNode): Promise<{ outRef: string; seq: number; batch: number }> {
  const bob = w.users[1]!
  const phantom = await phantomDeposit(node, bob, 30n * ADA)
  await submit(url, l2tx(w, bob, 1, [{ type: 'withdraw', amount: 40n * ADA }]))
  const batch = await commitBatch(w, node)
  await driveUntil(w, node, "Bob's 40 ADA paid and recorded", async () => (await balanceOf(url, bob))?.pendingExit === '0')
  return { ...phantom, batch }
}

/** What {@link withholdingProxy} does to the node it fronts. */
export interface WithholdingOptions {
  /** Serve the log only up to this seq, and say the log ends there; default: the node's log and tip. */
  readonly cut?: () => number
  /** Rewrites the node's `GET /batches` rows (a batch it calls confirmed, say). */
  readonly batches?: (rows: Record<string, unknown>[]) => Record<string, unknown>[]
  /** Awaited before a `GET /log` page from `from` is served (a node that stalls). */
  readonly hold?: (from: number) => Promise<void> | void
}

/**
 * A proxy in front of `target` (a malicious node): its log withheld after `cut`, its batches rewritten,
 * its pages held; the live stream refused (so a relay polls pages); everything else passed through.
 */
export async function withholdingProxy(target: string, opts: WithholdingOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const client = createLagoonClient({ url: target })
  const server: Server = createServer(async (req, res) => {
    try {
      const u = new URL(req.url ?? '/', 'http://x')
      if (u.pathname === '/log/stream') return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"NOT_FOUND","message":"no stream"}')
      if (u.pathname === '/log') {
        const from = Number(u.searchParams.get('from') ?? 1)
        const limit = Number(u.searchParams.get('limit') ?? 1000)
        await opts.hold?.(from)
        const cut = opts.cut?.() ?? Number.MAX_SAFE_INTEGER
        const last = Math.min(cut, from + limit - 1)
        const page = last < from ? undefined : await getLogPage(client, { from, limit: last - from + 1 })
        const entries = page?.entries ?? []
        const tip = opts.cut ? cut : (page?.tipSeq ?? (await getLogPage(client, { from, limit: 1 })).tipSeq)
        const body = encodeCanonical(entries.map((e) => [e.seq, e.bytes, e.head]))
        return void res.writeHead(200, { 'content-type': 'application/cbor', 'lagoon-log-seq': String(tip), 'lagoon-next-from': String(from + entries.length) }).end(Buffer.from(body))
      }
      const up = await fetch(target + (req.url ?? '/'))
      const type = up.headers.get('content-type') ?? ''
      if (u.pathname === '/batches' && opts.batches) return void res.writeHead(up.status, { 'content-type': type }).end(JSON.stringify(opts.batches((await up.json()) as Record<string, unknown>[])))
      res.writeHead(up.status, { 'content-type': type }).end(Buffer.from(await up.arrayBuffer()))
    } catch (e) {
      if (!res.headersSent) res.writeHead(502)
      res.end(String(e))
    }
  })
  await new Promise<void>((d) => server.listen(0, '127.0.0.1', d))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((d) => (server.closeAllConnections(), server.close(() => d()))),
  }
}
