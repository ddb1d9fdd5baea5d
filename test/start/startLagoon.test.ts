import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startLagoon } from '../../scripts/start/startLagoon.js'
import { StartError } from '../../scripts/start/StartError.js'

const quiet = () => {}

/** Resolves true if something can listen on `port` now (it is free). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)))
  })
}

const ROOT = new URL('../..', import.meta.url).pathname

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('startLagoon', () => {
  it('starts the devnet, its Blockfrost API and the node on one port, then stops everything', async () => {
    const lagoon = await startLagoon({ port: 0, web: false, blockMs: 200, log: quiet })
    const nodePort = Number(new URL(lagoon.nodeUrl).port)
    const l1Port = Number(new URL(lagoon.l1Url).port)
    expect(lagoon.webUrl).toBe(lagoon.nodeUrl)
    expect(lagoon.demoWallets.map((w) => w.name)).toEqual(['alice', 'bob', 'carol'])
    expect(lagoon.web).toEqual({ served: false, reason: 'disabled (--no-web)' })

    const config = (await (await fetch(`${lagoon.nodeUrl}/demo/config`)).json()) as Record<string, any>
    expect(config).toMatchObject({ nodeUrl: lagoon.nodeUrl, l1Url: lagoon.l1Url, network: 'Custom', instance: lagoon.instance })
    expect(config.demoWallets[0]).toEqual(lagoon.demoWallets[0])
    expect(config.slotConfig).toEqual({ zeroTime: lagoon.devnet.genesisTime, zeroSlot: 0, slotLength: 1000 })

    // Every demo wallet holds 10,000 ADA on the devnet, seen through the Blockfrost API.
    const utxos = (await (await fetch(`${lagoon.l1Url}/addresses/${lagoon.demoWallets[1]!.address}/utxos`)).json()) as any[]
    expect(utxos.map((u) => u.amount[0])).toEqual([{ unit: 'lovelace', quantity: '10000000000' }])
    // Blocks are produced on their own, and the node follows the same chain.
    const h0 = ((await (await fetch(`${lagoon.l1Url}/blocks/latest`)).json()) as any).height
    await sleep(700)
    const h1 = ((await (await fetch(`${lagoon.l1Url}/blocks/latest`)).json()) as any).height
    expect(h1).toBeGreaterThan(h0)
    expect(((await (await fetch(`${lagoon.nodeUrl}/state`)).json()) as any).seq).toBe(0)
    const dbDir = dirname(lagoon.node.config.db)
    expect(existsSync(dbDir)).toBe(true)

    await lagoon.stop()
    await lagoon.stop() // idempotent
    expect(await portFree(nodePort)).toBe(true)
    expect(await portFree(l1Port)).toBe(true)
    expect(existsSync(dbDir)).toBe(false)
  })

  it('leaves no handle behind: a process that starts and stops it ends by itself', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/start/fixtures/startStop.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const code = await new Promise<number | null>((resolve) => {
      // A leaked timer, socket, server or worker keeps the process alive: it never exits by itself.
      const limit = setTimeout(() => {
        child.kill('SIGKILL')
        resolve(-1)
      }, 45_000)
      child.once('exit', (c) => {
        clearTimeout(limit)
        resolve(c)
      })
    })
    expect(out).toContain('"stopped":true')
    expect(code, out).toBe(0)
  })

  it('refuses a busy port clearly, and cleans up what it had started', async () => {
    const blocker = createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()))
    const busy = (blocker.address() as { port: number }).port
    try {
      const error = await startLagoon({ port: busy, web: false, log: quiet }).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(StartError)
      expect((error as StartError).code).toBe('PORT_IN_USE')
      expect((error as StartError).message).toMatch(new RegExp(`port ${busy}.*--port`))
      expect(await portFree(busy + 1)).toBe(true) // the Blockfrost API it had opened on port + 1 is closed again
    } finally {
      blocker.close()
    }
  })

  it('npm start: prints where to go, serves, and exits 0 on Ctrl-C (SIGINT)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start/main.ts', '--port', '0', '--no-web', '--block-ms', '500'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    try {
      for (let i = 0; i < 300 && !out.includes('Ctrl-C stops everything'); i++) await sleep(100)
      expect(out).toContain('Lagoon is running')
      const nodeUrl = /Node API\s+(http:\/\/\S+)/.exec(out)![1]!
      const l1Url = /Layer 1\s+(http:\/\/\S+)/.exec(out)![1]!
      expect(out).toMatch(/alice\s+addr_test1\S+\n\s+key ed25519_sk1/)
      expect(out).toContain(`--node ${nodeUrl} --l1 ${l1Url}`)
      expect((await fetch(`${nodeUrl}/demo/config`)).status).toBe(200)
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(out).toContain('stopped')
      expect(await portFree(Number(new URL(nodeUrl).port))).toBe(true)
      expect(await portFree(Number(new URL(l1Url).port))).toBe(true)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
