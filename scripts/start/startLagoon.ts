import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { getAddressDetails } from '@lucid-evolution/lucid'
import { createDevnet, createTestAccounts, serveBlockfrost, type BlockfrostServer, type StrictEmulator } from '@lagoon/devnet'
import { toHex } from '../../sdk/src/core/bytes.js'
import { blake2b256Reference } from '../../sdk/src/core/crypto/blake2b256.js'
import { anchorDatumFromData, buildDeployRefsTx, buildInitTx } from '../../sdk/src/l1/index.js'
import { freshSeed } from '../../sequencer/src/l1/freshSeed.js'
import { DevnetChain } from '../../sequencer/src/l1/L1Chain.js'
import type { L1Log } from '../../sequencer/src/l1/L1Settings.js'
import type { NodeConfig } from '../../sequencer/src/node/NodeConfig.js'
import { openNode, type LagoonNode } from '../../sequencer/src/node/openNode.js'
import { BlockProducer } from './BlockProducer.js'
import { createDemoWallets, type DemoWallet } from './demoWallets.js'
import { listen } from './listen.js'
import { loadWebApp } from './loadWebApp.js'
import { StartError } from './StartError.js'

export type { DemoWallet } from './demoWallets.js'

/**
 * The terms of service of the demo instance (accounts register against their BLAKE2b-256).
 *
 * @example
 * toHex(blake2b256Reference(new TextEncoder().encode(DEMO_TERMS))) // the instance's `terms`
 */
export const DEMO_TERMS = 'Lagoon devnet demo. Play money on a local chain; nothing here has value.'

/** Options of {@link startLagoon}; every one has a default. */
export interface StartLagoonOptions {
  /** Node API + web page + /demo port; default 8080 (the next free one up to 8099 when busy); 0: any free port. */
  readonly port?: number
  /** The devnet's Blockfrost API port; default `port + 1` (any free port when `port` is 0). */
  readonly l1Port?: number
  /** Default 127.0.0.1. */
  readonly host?: string
  /** Number of funded demo wallets (alice, bob, carol, …); default 3. */
  readonly demoWallets?: number
  /** Lovelace in each demo wallet; default 10,000 ADA. */
  readonly walletLovelace?: bigint
  /** ms between devnet blocks; default 1,000 (one slot per block, on the wall clock). */
  readonly blockMs?: number
  /** SQLite file of the node; default a fresh file in a temporary folder (removed by `stop`). Must not exist. */
  readonly dbPath?: string
  /** Layer-1 confirmations before a deposit is credited; default 5. */
  readonly confirmations?: number
  /** A batch is committed at least this often when there are new tasks (ms); default 10,000. */
  readonly batchIntervalMs?: number
  /** The instance's exodus timeout (ms); default one day (`POST /demo/exodus` jumps past it). */
  readonly exodusTimeoutMs?: number
  /** Serve the web page (built first when stale); default true. */
  readonly web?: boolean
  /** Signature-verifying worker threads of the node; default 2. */
  readonly verifyWorkers?: number
  /** Where progress and layer-1 events go, one line each; default console.log. */
  readonly log?: (line: string) => void
}

/** A running Lagoon demo: every URL, the demo wallets, and the parts (for tests). */
export interface LagoonDemo {
  /** The web page (same origin as the node API). */
  readonly webUrl: string
  /** The node API (same as `webUrl`). */
  readonly nodeUrl: string
  /** The devnet's Blockfrost-compatible API (any project id). */
  readonly l1Url: string
  /** The instance id (the state token's policy id), hex. */
  readonly instance: string
  readonly demoWallets: readonly DemoWallet[]
  /** An admin token of the node (token management, metrics) — the node accepts submissions without one. */
  readonly adminToken: string
  /** Whether the web page is served, and why not. */
  readonly web: { readonly served: boolean; readonly reason?: string }
  readonly node: LagoonNode
  readonly devnet: StrictEmulator
  readonly blocks: BlockProducer
  /** Stops everything (servers, block production, the node) and removes the temporary database. Idempotent. */
  stop(): Promise<void>
}

function lineLog(log: (line: string) => void): L1Log {
  return (level, msg, fields = {}) => {
    const kv = Object.entries(fields)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}`)
      .join(' ')
    log(`[layer 1] ${level === 'info' ? '' : `${level.toUpperCase()} `}${msg}${kv ? `  ${kv.slice(0, 400)}` : ''}`)
  }
}

/**
 * Starts the whole system on one machine: an embedded strict devnet producing a block every
 * `blockMs` (its clock on the wall clock), funded demo wallets, a freshly minted Lagoon instance, the
 * sequencer node (SQLite in a temporary folder) following and committing to the devnet, the devnet's
 * Blockfrost-compatible API on its own port, and on one port the node API, the web page and
 * `GET /demo/config` / `POST /demo/exodus`. `stop()` undoes all of it.
 *
 * @example
 * const lagoon = await startLagoon({ port: 0 })
 * console.log(lagoon.webUrl, lagoon.l1Url, lagoon.demoWallets[0]!.address)
 * await lagoon.stop()
 */
export async function startLagoon(opts: StartLagoonOptions = {}): Promise<LagoonDemo> {
  const log = opts.log ?? ((line: string) => console.log(line))
  const host = opts.host ?? '127.0.0.1'
  const port = opts.port ?? 8080
  const blockMs = opts.blockMs ?? 1000
  const confirmations = opts.confirmations ?? 5
  if (opts.dbPath && existsSync(opts.dbPath)) {
    throw new StartError('DB_EXISTS', `${opts.dbPath} exists: the devnet is new at every start, so an old node database would not match it; pass a new path or none (a temporary file)`)
  }
  const tempDir = opts.dbPath ? null : mkdtempSync(join(tmpdir(), 'lagoon-start-'))
  const dbPath = opts.dbPath ?? join(tempDir!, 'node.db')

  const cleanups: (() => Promise<void> | void)[] = []
  const stopAll = async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c()
      } catch (e) {
        log(`stop: ${(e as Error).message}`)
      }
    }
  }
  if (tempDir) cleanups.push(() => rmSync(tempDir, { recursive: true, force: true }))

  try {
    // The front port first: a busy port fails before anything slow starts.
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ code: 'STARTING', message: 'Lagoon is starting' }))
    }
    const server: Server = createServer((req, res) => handler(req, res))
    const boundPort = await listen(server, host, port, { tries: opts.port === undefined ? 20 : 1, option: '--port', what: 'the node API and web page' })
    const closeServer = () =>
      new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      })
    cleanups.push(closeServer)
    const nodeUrl = `http://${host}:${boundPort}`
    if (port !== 0 && boundPort !== port) log(`port ${port} is busy: the node and the page are on ${boundPort}`)

    // Layer 1: the strict devnet, its genesis on a whole second so /genesis's system_start is exact.
    const [operator] = createTestAccounts(1, { lovelace: 1_000_000_000_000n })
    const { wallets, genesis } = createDemoWallets(opts.demoWallets ?? 3, opts.walletLovelace ?? 10_000_000_000n)
    const devnet = createDevnet({ accounts: [operator!, ...genesis], genesisTime: Math.floor(Date.now() / 1000) * 1000 })
    const blocks = new BlockProducer(devnet, blockMs)
    cleanups.push(() => blocks.stop())

    // The instance: the operator mints the state token.
    const chain = await DevnetChain.open(devnet, operator!.privateKey)
    const operatorKeyHash = getAddressDetails(operator!.address).paymentCredential!.hash
    // From a fresh seed, not the genesis output (00…00#0 on every run): each start is a new instance id,
    // so nothing signed for one demo (a registration) is valid on another.
    const seed = await freshSeed(chain.lucid, (cbor) => chain.submit(cbor), () => blocks.produce())
    const { scripts, tx } = buildInitTx(chain.lucid, { seed, operator: operatorKeyHash, exodusTimeout: BigInt(opts.exodusTimeoutMs ?? 86_400_000), now: devnet.now() })
    const initTx = await chain.submit((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
    blocks.produce()
    // Its reference-script UTxOs (anchor + empty-hash table, deposit), which the node's poster reads.
    await chain.submit((await (await buildDeployRefsTx(chain.lucid, scripts).tx.complete()).sign.withWallet().complete()).toCBOR())
    blocks.produce()
    log(`devnet: instance ${scripts.policyId} minted (tx ${initTx})`)

    // The devnet's Blockfrost API.
    const l1Port = opts.l1Port ?? (port === 0 ? 0 : boundPort + 1)
    let bf: BlockfrostServer | undefined
    const l1Tries = opts.l1Port === undefined && l1Port !== 0 ? 20 : 1
    for (let i = 0; i < l1Tries && !bf; i++) {
      try {
        bf = await serveBlockfrost(devnet, { host, port: l1Port + i })
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e
      }
    }
    if (!bf) {
      const range = l1Tries > 1 ? `ports ${l1Port}–${l1Port + l1Tries - 1} are` : `port ${l1Port} is`
      throw new StartError('PORT_IN_USE', `the devnet's Blockfrost API: ${range} in use on ${host}; pass --l1-port <port> (0 picks a free one)`)
    }
    const api = bf
    cleanups.push(() => api.close())

    // The node, on the devnet (injected, so the demo controls blocks and wallets).
    const config: NodeConfig = {
      db: dbPath,
      host,
      port,
      open: true,
      durability: 'full',
      verifyWorkers: opts.verifyWorkers ?? 2,
      maxGroup: 4096,
      maxQueue: 100_000,
      instance: scripts.policyId,
      operator: operatorKeyHash,
      terms: toHex(blake2b256Reference(new TextEncoder().encode(DEMO_TERMS))),
    }
    const node = await openNode(config, {
      chain,
      scripts,
      out: lineLog(log),
      l1Settings: { confirmations, pollMs: Math.min(500, blockMs), batchIntervalMs: opts.batchIntervalMs ?? 10_000 },
    })
    cleanups.push(() => node.close())
    const adminToken = node.tokens.create('admin', 'npm start').token

    // Web page (optional), demo routes, then the node's API.
    const web = opts.web === false ? { app: null, reason: 'disabled (--no-web)' } : await loadWebApp({ build: true, log })
    const front = new Hono()
    let exodus: Record<string, unknown> | null = null
    let followerOnly: NodeJS.Timeout | null = null
    cleanups.push(() => {
      if (followerOnly) clearInterval(followerOnly)
    })
    const urls = { nodeUrl, l1Url: api.url }
    front.get('/demo/config', (c) =>
      c.json({
        nodeUrl: urls.nodeUrl,
        l1Url: urls.l1Url,
        network: 'Custom',
        instance: scripts.policyId,
        demoWallets: wallets,
        slotConfig: { zeroTime: devnet.genesisTime, zeroSlot: 0, slotLength: 1000 },
        blockMs,
        confirmations,
        terms: config.terms,
        termsText: DEMO_TERMS,
        chainTimeSkewMs: blocks.skewMs,
        exodus,
      }),
    )
    front.post('/demo/exodus', async (c) => {
      if (!exodus) {
        const l1 = node.l1!
        await l1.stop() // no more commitments (nor payouts) from the operator
        blocks.produce() // a commit still in the mempool lands before the clock moves
        let busy = false
        followerOnly = setInterval(() => {
          if (busy) return
          busy = true
          l1.follower
            .poll()
            .catch((e: unknown) => log(`[layer 1] ERROR follower: ${(e as Error).message}`))
            .finally(() => (busy = false))
        }, Math.min(500, blockMs))
        const anchor = (await devnet.getUtxos(scripts.anchorAddress)).find((u) => u.assets[scripts.unit] === 1n)!
        const datum = anchorDatumFromData(anchor.datum!)
        const freezableAfter = Number(datum.lastCommit + datum.exodusTimeout)
        const target = freezableAfter + 60_000
        if (devnet.now() < target) blocks.jump(target - devnet.now())
        exodus = { commitmentsStopped: true, lastCommit: Number(datum.lastCommit), freezableAfter, chainTime: devnet.now(), chainTimeSkewMs: blocks.skewMs }
        log(`demo: exodus — commitments stopped, devnet clock moved ${Math.round(blocks.skewMs / 60_000)} min ahead: anyone may freeze the anchor now`)
      }
      return c.json(exodus)
    })
    if (web.app) {
      const page = web.app
      front.get('/', (c) => page.fetch(c.req.raw, c.env))
      front.get('/assets/*', (c) => page.fetch(c.req.raw, c.env))
      front.get('/favicon.ico', (c) => page.fetch(c.req.raw, c.env))
    }
    front.all('*', (c) => node.app.fetch(c.req.raw, c.env))
    const honoListener = getRequestListener(front.fetch)
    handler = (req, res) => {
      if (!node.fastSubmit(req, res)) void honoListener(req, res)
    }
    // Stop accepting requests before anything else stops.
    cleanups.splice(cleanups.indexOf(closeServer), 1)
    cleanups.push(closeServer)
    blocks.start()
    if (!web.app) log(`web page: not served — ${web.reason}`)

    let stopped: Promise<void> | null = null
    return {
      webUrl: urls.nodeUrl,
      nodeUrl: urls.nodeUrl,
      l1Url: api.url,
      instance: scripts.policyId,
      demoWallets: wallets,
      adminToken,
      web: web.app ? { served: true } : { served: false, ...(web.reason ? { reason: web.reason } : {}) },
      node,
      devnet,
      blocks,
      stop: () => (stopped ??= stopAll()),
    }
  } catch (e) {
    await stopAll()
    throw e
  }
}
