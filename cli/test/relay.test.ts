import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BlockfrostServer } from '@lagoon/devnet'
import { tempDir } from '../../sdk/test/audit/l1World.js'
import { honestNode, run, type HonestNode } from './cliSupport.js'

let h: HonestNode
let url: string
let bf: BlockfrostServer

beforeAll(async () => {
  h = await honestNode()
  ;({ url, bf } = h)
}, 120_000)

afterAll(() => h?.close())

const json = async (u: string) => (await fetch(u)).json() as Promise<any>

describe('lagoon relay', () => {
  it('follows the node, checks its batches against layer 1, serves reads until Ctrl-C, then resumes from its file', async () => {
    const db = join(tempDir(), 'relay.db')
    for (const round of [1, 2]) {
      const ctl = new AbortController()
      let out: { text(): string } | undefined
      const done = run(['relay', '--from', url, '--db', db, '--port', '0', '--l1', bf.url], { signal: ctl.signal, live: (s) => (out = s.stdout) })
      const lines = () => (out?.text() ?? '').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>)
      const deadline = Date.now() + 20_000
      let relayUrl: string | undefined
      while (Date.now() < deadline) {
        relayUrl = lines().find((l) => l.msg === 'relay listening')?.url
        if (relayUrl && (await json(`${relayUrl}/health`)).relay.checkedBatch === 2) break
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(relayUrl).toBeDefined()
      const health = await json(`${relayUrl}/health`)
      expect(health).toMatchObject({ status: 'ok', relay: { checkedBatch: 2 } })
      expect(await json(`${relayUrl}/state`)).toEqual(await json(`${url}/state`))
      if (round === 2) expect(lines().find((l) => l.msg === 'relay listening')!.seq).toBe(health.seq) // resumed from the file
      ctl.abort(new Error('SIGINT'))
      const r = await done
      expect(r.code).toBe(0)
      expect(lines().map((l) => l.msg)).toEqual(expect.arrayContaining(['relay listening', 'stopping', 'stopped']))
      expect(lines().filter((l) => l.level !== 'info')).toEqual([])
    }
  })

  it('needs --from; --help explains it', async () => {
    const r = await run(['relay'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--from is required\n\s+pass the node to follow/)
    const h = await run(['relay', '--help'])
    expect(h.stdout).toMatch(/usage: lagoon relay --from URL/)
  })
})
