import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { serveBlockfrost, type BlockfrostServer } from '@lagoon/devnet'
import type { LagoonNode } from '@lagoon/sequencer/node/openNode'
import type { RunningServer } from '@lagoon/sequencer/node/startServer'
import { honestHistory, l1World, startL1Node, type L1World } from '../../sdk/test/audit/l1World.js'
import { runCli } from '../src/runCli.js'

/** A stream that keeps what is written to it. */
export function sink(): Writable & { text(): string } {
  const chunks: string[] = []
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk))
      done()
    },
  }) as Writable & { text(): string }
  w.text = () => chunks.join('')
  return w
}

/** Runs `lagoon` in-process; `live` gets the streams while it runs. */
export async function run(argv: string[], opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal; live?: (s: { stdout: ReturnType<typeof sink>; stderr: ReturnType<typeof sink> }) => void } = {}) {
  const stdout = sink()
  const stderr = sink()
  opts.live?.({ stdout, stderr })
  const code = await runCli(argv, { stdout, stderr, env: opts.env ?? {}, ...(opts.signal ? { signal: opts.signal } : {}) })
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}

/** An HTTP proxy to `target` that records request paths and may rewrite JSON bodies (a lying node). */
export async function proxy(target: string, rewrite?: (path: string, body: string) => string): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = []
  const server: Server = createServer(async (req, res) => {
    const path = req.url ?? '/'
    paths.push(path)
    const up = await fetch(target + path)
    const type = up.headers.get('content-type') ?? ''
    const headers: Record<string, string> = { 'content-type': type }
    for (const h of ['lagoon-next-from', 'lagoon-log-seq']) if (up.headers.get(h)) headers[h] = up.headers.get(h)!
    if (type.includes('json') && rewrite) res.writeHead(up.status, headers).end(rewrite(path, await up.text()))
    else res.writeHead(up.status, headers).end(Buffer.from(await up.arrayBuffer()))
  })
  await new Promise<void>((d) => server.listen(0, '127.0.0.1', d))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () => new Promise<void>((d) => (server.closeAllConnections(), server.close(() => d()))),
  }
}

/** A node that went through the honest history, and the devnet's Blockfrost-compatible API beside it. */
export interface HonestNode {
  readonly w: L1World
  readonly node: LagoonNode
  readonly running: RunningServer
  readonly url: string
  /** What `--l1` points at. */
  readonly bf: BlockfrostServer
  close(): Promise<void>
}

/**
 * The world the audit and relay commands are tested in: a node on a fresh devnet instance after the
 * honest history (two batches, a deposit each, an exit paid), and the devnet's API for `--l1`.
 *
 * @example
 * let h: HonestNode
 * beforeAll(async () => { h = await honestNode() }, 120_000)
 * afterAll(() => h?.close())
 */
export async function honestNode(): Promise<HonestNode> {
  const w = await l1World()
  const { node, running, url } = await startL1Node(w)
  await honestHistory(w, url, node)
  const bf = await serveBlockfrost(w.devnet)
  return {
    w,
    node,
    running,
    url,
    bf,
    async close() {
      await bf.close()
      await running.stop()
    },
  }
}
