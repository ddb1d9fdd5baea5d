/**
 * `lagoon audit` and `lagoon relay` against a hostile node (issue 14, item 4): an endless `/log` page,
 * an endless `/batches` body, a `/log` dripping a byte a second, a log stream without frame
 * terminators. Each read stops within a bounded time and memory, with the bound's code and the
 * documented exit status; two of them in the real `lagoon` process, whose peak RSS is measured.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleNode } from '../../scripts/build/bundleNode.js'
import { tempDir } from '../../sequencer/test/support/harness.js'
import { dripping, emptyLog, endless, INSTANCE_JSON, json, startHostileNode, type HostileNode } from '../../sdk/test/support/hostileNode.js'
import { run } from './cliSupport.js'

const BIN = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'lagoon')
const ENDLESS_PAGE = endless('application/cbor', new Uint8Array(64 * 1024), Uint8Array.of(0x9f), { 'lagoon-log-seq': '9' })
const ENDLESS_BATCHES = endless('application/json', ' '.repeat(64 * 1024), '[')
const ENDLESS_FRAME = endless('text/event-stream', 'data: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')

let h: HostileNode
beforeAll(async () => {
  h = await startHostileNode({
    '/instance': json(INSTANCE_JSON),
    '/log': ENDLESS_PAGE,
    '/batches': json([]),
  })
})
afterAll(() => h?.close())

/** A hostile node of its own for one test. */
async function hostile(routes: Parameters<typeof startHostileNode>[0]): Promise<HostileNode> {
  const node = await startHostileNode({ '/instance': json(INSTANCE_JSON), '/log': emptyLog, '/batches': json([]), ...routes })
  cleanups.push(() => node.close())
  return node
}
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups) await c()
})

describe('lagoon audit against a hostile node', () => {
  it('an endless GET /log page: exit 1, RESPONSE_TOO_LARGE, one download of at most the page bound', async () => {
    const started = Date.now()
    const r = await run(['audit', '--node', h.url, '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'RESPONSE_TOO_LARGE', message: expect.stringMatching(/the log could not be downloaded after seq 0/), hint: expect.stringMatching(/broken or hostile/) } })
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(h.to('/log').length).toBe(1)
    const human = await run(['audit', '--node', h.url])
    expect(human.code).toBe(1)
    expect(human.stderr).toMatch(/^error: the node at http:\S+: the log could not be downloaded after seq 0: GET \/log: the node's answer is over \d+ bytes; at most 41820016 are read\n {2}no honest node/)
  })

  it('an endless GET /batches body: exit 1, RESPONSE_TOO_LARGE', async () => {
    const node = await hostile({ '/batches': ENDLESS_BATCHES })
    const r = await run(['audit', '--node', node.url, '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).error.code).toBe('RESPONSE_TOO_LARGE')
    expect(node.to('/batches')[0]!.bytesSent).toBeLessThan(24 * 1024 * 1024)
  })

  it('a GET /log dripping a byte a second: exit 1, BODY_TIMEOUT at --timeout', async () => {
    const node = await hostile({ '/log': dripping('application/cbor', Uint8Array.of(0x9f), 1000, { 'lagoon-log-seq': '9' }) })
    const started = Date.now()
    const r = await run(['audit', '--node', node.url, '--timeout', '1s', '--json'])
    const took = Date.now() - started
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'BODY_TIMEOUT', hint: expect.stringMatching(/--timeout.*rerun with --resume FILE/) })
    expect(node.to('/log').length).toBe(1)
    expect(took).toBeGreaterThanOrEqual(1000)
    expect(took).toBeLessThan(1000 + 4000)
    const usage = await run(['audit', '--node', node.url, '--timeout', 'soon'])
    expect(usage.code).toBe(2)
  })

  it('the real lagoon process: exit 1 with RESPONSE_TOO_LARGE, peak RSS far from the gigabytes', { timeout: 120_000 }, async () => {
    await bundleNode()
    const child = spawn(BIN, ['audit', '--node', h.url, '--json', '--workers', '1'], { env: { PATH: process.env.PATH, HOME: tempDir() }, stdio: ['ignore', 'pipe', 'pipe'] })
    const peak = watchPeakRss(child.pid!)
    let stdout = ''
    child.stdout!.on('data', (d) => (stdout += d))
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    expect(JSON.parse(stdout).error.code).toBe('RESPONSE_TOO_LARGE')
    const mb = peak.stop()
    console.log(`lagoon audit against an endless /log page: peak RSS ${mb.toFixed(0)} MB (the page bound is 42 MB)`)
    expect(mb).toBeLessThan(500)
  })
})

describe('lagoon relay against a hostile node', () => {
  it('an endless GET /instance at start: exit 1, RESPONSE_TOO_LARGE', async () => {
    const node = await hostile({ '/instance': ENDLESS_BATCHES })
    const r = await run(['relay', '--from', node.url, '--db', join(tempDir(), 'relay.db'), '--port', '0', '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', hint: expect.stringMatching(/broken or hostile/) })
  })

  it('a log stream that never ends a frame: logs SSE_FRAME_TOO_LARGE and keeps serving; Ctrl-C exits 0', async () => {
    const node = await hostile({ '/log/stream': ENDLESS_FRAME })
    const ctl = new AbortController()
    let out: { text(): string } | undefined
    const done = run(['relay', '--from', node.url, '--db', join(tempDir(), 'relay.db'), '--port', '0'], { signal: ctl.signal, live: (s) => (out = s.stdout) })
    const lines = () => (out?.text() ?? '').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>)
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline && !lines().some((l) => l.code === 'SSE_FRAME_TOO_LARGE')) await new Promise((r) => setTimeout(r, 50))
    const failed = lines().find((l) => l.code === 'SSE_FRAME_TOO_LARGE')
    expect(failed).toMatchObject({ level: 'warn', msg: 'following the node failed; retrying' })
    const relayUrl = lines().find((l) => l.msg === 'relay listening')!.url as string
    expect((await fetch(`${relayUrl}/health`)).status).toBe(200)
    ctl.abort(new Error('SIGINT'))
    expect((await done).code).toBe(0)
  })

  it('the real lagoon process on that stream: the code logged, peak RSS bounded, SIGINT exits 0', { timeout: 120_000 }, async () => {
    await bundleNode()
    const node = await hostile({ '/log/stream': ENDLESS_FRAME })
    const child = spawn(BIN, ['relay', '--from', node.url, '--db', join(tempDir(), 'relay.db'), '--port', '0'], { env: { PATH: process.env.PATH, HOME: tempDir() }, stdio: ['ignore', 'pipe', 'inherit'] })
    const peak = watchPeakRss(child.pid!)
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    let frames = 0
    for await (const text of createInterface({ input: child.stdout! })) {
      const line = JSON.parse(text) as Record<string, unknown>
      // Let it read a few oversized frames (it reconnects after each), then stop it.
      if (line.code === 'SSE_FRAME_TOO_LARGE' && ++frames === 3) child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
    expect(frames).toBe(3)
    const mb = peak.stop()
    console.log(`lagoon relay against a stream without frame terminators: peak RSS ${mb.toFixed(0)} MB over 3 oversized frames`)
    expect(mb).toBeLessThan(500)
  })
})

/** Polls the peak RSS (VmHWM) of a process until stopped; returns it in MB. */
function watchPeakRss(pid: number): { stop(): number } {
  let peak = 0
  const read = () => {
    try {
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024)
    } catch {
      // exited
    }
  }
  const timer = setInterval(read, 20)
  return {
    stop() {
      clearInterval(timer)
      return peak
    },
  }
}
