/**
 * The real `lagoon` executable (node_modules/.bin/lagoon): `--help` of a user command and the exit
 * codes of a usage error and of an unreachable node; and its two runtimes, the build in `cli/dist`
 * (rebuilt here first) and the TypeScript sources through tsx, starting the same node.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleNode } from '../../scripts/build/bundleNode.js'
import { testConfig } from '../../sequencer/test/support/harness.js'

const BIN = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'lagoon')
const home = mkdtempSync(join(tmpdir(), 'lagoon-bin-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))
// The build under test is the current sources' (npm install builds it too; an edit since makes it stale).
beforeAll(() => bundleNode(), 60_000)

function lagoon(...args: string[]) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 110_000, env: { PATH: process.env.PATH, HOME: home, LAGOON_HOME: home } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

// Each test spawns one process; through tsx a command costs seconds of CPU, far more on a loaded machine.
describe('the lagoon binary', { timeout: 120_000 }, () => {
  it('prints the help of a user command and exits 0', () => {
    const r = lagoon('deposit', '--help')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^usage: lagoon deposit AMOUNT --wallet FILE --l1 URL/)
    expect(r.stdout).toContain('--refund-after D')
  })

  it('exits 2 on a usage error, with a hint on stderr', () => {
    const usage = lagoon('pay', 'not-an-account', '1')
    expect(usage.code).toBe(2)
    expect(usage.stderr).toMatch(/^error: "not-an-account" is not an account id\n  usage: lagoon pay TO AMOUNT/)
  })

  it('exits 1 when the node is unreachable, with the hint in the JSON error', () => {
    const down = lagoon('status', 'ab'.repeat(28), '--node', 'http://127.0.0.1:9', '--json')
    expect(down.code).toBe(1)
    expect(JSON.parse(down.stdout)).toMatchObject({ error: { code: 'NODE_UNREACHABLE', hint: expect.stringContaining('LAGOON_NODE') } })
  })
})

/** Starts `lagoon sequencer start` on a fresh file; resolves with its `listening` line and its RSS then, and stops it. */
async function startOnce(runtime?: 'source'): Promise<{ line: Record<string, unknown>; rssMb: number }> {
  const dir = mkdtempSync(join(home, 'node-'))
  const config = join(dir, 'lagoon.json')
  writeFileSync(config, JSON.stringify(testConfig(join(dir, 'node.db'))))
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, ...(runtime ? { LAGOON_RUNTIME: runtime } : {}) }
  const child = spawn(BIN, ['sequencer', 'start', '--config', config], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    for await (const text of createInterface({ input: child.stdout! })) {
      const line = JSON.parse(text) as Record<string, unknown>
      if (line.msg !== 'listening') continue
      const health = (await (await fetch(`${line.url as string}/health`)).json()) as { status: string }
      expect(health.status).toBe('ok')
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024
      return { line, rssMb: rss }
    }
    throw new Error('the node exited before listening')
  } finally {
    child.kill('SIGTERM')
  }
}

describe('the runtimes of lagoon sequencer start', { timeout: 120_000 }, () => {
  it('runs the fresh build, or the sources when told to, and says which in its start line', async () => {
    const built = await startOnce()
    const source = await startOnce('source')
    expect(built.line.runtime).toBe('bundle')
    expect(source.line.runtime).toBe('source')
    // The same node either way: same log line apart from the url and the runtime.
    const strip = ({ time: _t, url: _u, runtime: _r, db: _d, ...rest }: Record<string, unknown>) => rest
    expect(strip(built.line)).toEqual(strip(source.line))
    console.log(`lagoon sequencer start at rest: ${built.rssMb.toFixed(0)} MB RSS from the build, ${source.rssMb.toFixed(0)} MB from the sources`)
  })
})
