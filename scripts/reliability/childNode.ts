import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toHex } from '../../sdk/src/core/bytes.js'
import { keyTask, l1Hash, OPERATOR, TERMS, INSTANCE, user, type User } from '../../sdk/test/support/world.js'
import type { NodeConfig } from '../../sequencer/src/node/NodeConfig.js'
import { openNode } from '../../sequencer/src/node/openNode.js'

/** The repository root (this file is scripts/reliability/childNode.ts). */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** A node's file prepared for a child process: config path, users with funds, an admin token. */
export interface PreparedNode {
  readonly dir: string
  readonly configPath: string
  readonly dbPath: string
  readonly users: User[]
  readonly adminToken: string
  readonly walletToken: string
  readonly relayToken: string
  /** A wallet token that was revoked. */
  readonly revokedToken: string
  /** Removes the directory. */
  dispose(): void
}

/**
 * Writes a node configuration (the test instance of sdk/test/support/world.ts, durable receipts,
 * a layer-2-only node) and a database where `users` accounts are registered and hold `fund` lovelace
 * each (deposit tasks, as the layer-1 follower would credit them), plus an admin and a wallet token.
 *
 * @example
 * const p = await prepareNode({ users: 20 })
 * const child = await spawnNode(p.configPath)
 */
export async function prepareNode(opts: { users?: number; fund?: bigint; open?: boolean; config?: Partial<NodeConfig> } = {}): Promise<PreparedNode> {
  const dir = mkdtempSync(join(tmpdir(), 'lagoon-rel-'))
  const dbPath = join(dir, 'node.db')
  const config: NodeConfig = {
    db: dbPath,
    host: '127.0.0.1',
    port: 0,
    open: opts.open ?? false,
    durability: 'full',
    verifyWorkers: 1,
    maxGroup: 4096,
    maxQueue: 100_000,
    instance: toHex(INSTANCE),
    operator: toHex(OPERATOR.account),
    terms: toHex(TERMS),
    ...opts.config,
  }
  const configPath = join(dir, 'lagoon.json')
  writeFileSync(configPath, JSON.stringify(config, null, 2))
  const users = Array.from({ length: opts.users ?? 20 }, (_, i) => user(i + 1))
  const node = await openNode({ ...config, verifyWorkers: 0 })
  for (const [i, u] of users.entries()) {
    await node.sequencer.submitKeyTask(keyTask(u))
    await node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(i), index: 0, owner: u.account, amount: opts.fund ?? 1_000_000_000_000n })
  }
  const adminToken = node.tokens.create('admin', 'reliability').token
  const walletToken = node.tokens.create('wallet', 'reliability').token
  const relayToken = node.tokens.create('relay', 'reliability').token
  const revoked = node.tokens.create('wallet', 'revoked')
  node.tokens.revoke(revoked.id)
  await node.close()
  return { dir, configPath, dbPath, users, adminToken, walletToken, relayToken, revokedToken: revoked.token, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A node running in a child process. */
export interface ChildNode {
  readonly child: ChildProcess
  readonly pid: number
  readonly url: string
  /** Everything the child wrote to stderr (its error log). */
  stderr(): string
  /** SIGKILL, and wait for the exit. */
  kill9(): Promise<void>
  /** SIGTERM (clean stop), and wait for the exit. */
  stop(): Promise<number | null>
  /** Resolves with the exit code / signal when the child exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * Starts `lagoon sequencer start --config FILE` (the CLI's bin, cli/bin/lagoon.js) in a child process
 * and resolves once it logs `listening` (its URL, port chosen by the OS).
 *
 * @example
 * const n = await spawnNode(p.configPath); await fetch(n.url + '/health'); await n.kill9()
 */
export function spawnNode(configPath: string, env: Record<string, string> = {}): Promise<ChildNode> {
  const child = spawn(process.execPath, [join(REPO, 'cli/bin/lagoon.js'), 'sequencer', 'start', '--config', configPath], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString()
    if (err.length > 1_000_000) err = err.slice(-500_000)
  })
  // Never leave a node behind if this process dies first.
  const reap = () => child.kill('SIGKILL')
  process.once('exit', reap)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', reap)
      resolve({ code, signal })
    }),
  )
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the node did not start in 60 s; stderr: ${err.slice(-2000)}`))
    }, 60_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      for (const line of out.split('\n')) {
        if (!line.includes('"listening"')) continue
        clearTimeout(timer)
        child.stdout!.off('data', onData)
        child.stdout!.resume() // keep draining: a full pipe would block the child
        const url = (JSON.parse(line) as { url: string }).url
        resolve({
          child,
          pid: child.pid!,
          url,
          stderr: () => err,
          async kill9() {
            child.kill('SIGKILL')
            await exited
          },
          async stop() {
            child.kill('SIGTERM')
            return (await exited).code
          },
          exited,
        })
        return
      }
    }
    child.stdout!.on('data', onData)
    void exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`the node exited (${code ?? signal}) before listening; stderr: ${err.slice(-2000)}`))
    })
  })
}

/** Resident set size of a process in bytes (Linux /proc), or undefined once it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}
