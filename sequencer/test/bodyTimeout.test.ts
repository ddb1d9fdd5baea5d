/**
 * Slow bodies (slowloris, issue 14 item 6): a client that sends the headers and then drips the body is
 * answered 408 BODY_TIMEOUT in the API's error shape within the node's body deadline, and its
 * connection closed; on the fast submit path (`POST /tx`) and through Hono (a JSON body route).
 */
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/node/NodeConfig.js'
import { startTestNode, tempDb, type TestNode } from './support/harness.js'

const DEADLINE_MS = 800

let t: TestNode
beforeAll(async () => {
  t = await startTestNode(tempDb(), { bodyTimeoutMs: DEADLINE_MS })
})
afterAll(() => t?.stop())

/**
 * Sends `head` on a raw socket, then `piece` (a byte of body) every `dripMs` until the server closes;
 * resolves with what the server answered, when it closed, and how many pieces went out.
 */
function drip(head: string, dripMs: number, piece = 'a'): Promise<{ answer: string; closedAfterMs: number; sent: number }> {
  const { port } = new URL(t.url)
  return new Promise((resolve, reject) => {
    const started = Date.now()
    let answer = ''
    let sent = 0
    let timer: NodeJS.Timeout | undefined
    const socket: Socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(head)
      timer = setInterval(() => {
        if (!socket.writable) return
        socket.write(piece)
        sent++
      }, dripMs)
    })
    socket.on('data', (d) => (answer += d.toString()))
    socket.on('error', () => undefined) // a write racing the server's close: EPIPE/ECONNRESET
    socket.on('close', () => {
      clearInterval(timer)
      resolve({ answer, closedAfterMs: Date.now() - started, sent })
    })
    setTimeout(() => reject(new Error(`no close after 10 s; got ${JSON.stringify(answer)}`)), 10_000).unref()
  })
}

const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { code: string; message: string; details?: Record<string, unknown> }

describe('a request body that drips (slowloris)', () => {
  it('POST /tx (the fast path): 408 BODY_TIMEOUT in the API shape, then the connection is closed', async () => {
    const head = `POST /tx HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${t.tokens.wallet}\r\ncontent-type: application/cbor\r\ncontent-length: 4000\r\n\r\n`
    const r = await drip(head, 100)
    expect(r.answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/)
    expect(r.answer.toLowerCase()).toContain('connection: close')
    expect(bodyOf(r.answer)).toMatchObject({ code: 'BODY_TIMEOUT', details: { timeoutMs: DEADLINE_MS } })
    expect(r.closedAfterMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50)
    expect(r.closedAfterMs).toBeLessThan(DEADLINE_MS + 2000)
    expect(r.sent).toBeLessThan(40)
    expect((await fetch(`${t.url}/health`)).status).toBe(200)
  })

  it('a chunked POST /txs that never ends: the same', async () => {
    const head = `POST /txs HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${t.tokens.wallet}\r\ncontent-type: application/cbor\r\ntransfer-encoding: chunked\r\n\r\n1\r\n`
    const r = await drip(head, 150, 'a\r\n1\r\n') // one 1-byte chunk at a time, never the last one
    expect(r.answer).toMatch(/^HTTP\/1\.1 408 /)
    expect(bodyOf(r.answer).code).toBe('BODY_TIMEOUT')
    expect(r.closedAfterMs).toBeLessThan(DEADLINE_MS + 2000)
  })

  it('a JSON body route through Hono (POST /accounts/register): the same', async () => {
    const head = `POST /accounts/register HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${t.tokens.wallet}\r\ncontent-type: application/json\r\ncontent-length: 900\r\n\r\n{`
    const r = await drip(head, 100)
    expect(r.answer).toMatch(/^HTTP\/1\.1 408 /)
    expect(r.answer.toLowerCase()).toContain('connection: close')
    expect(bodyOf(r.answer).code).toBe('BODY_TIMEOUT')
    expect(r.closedAfterMs).toBeLessThan(DEADLINE_MS + 2000)
  })

  it('a slow but steady body inside the deadline is read as usual', async () => {
    const head = `POST /tx HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${t.tokens.wallet}\r\ncontent-type: application/cbor\r\ncontent-length: 3\r\n\r\n`
    const { port } = new URL(t.url)
    const answer = await new Promise<string>((resolve) => {
      let text = ''
      const s = connect(Number(port), '127.0.0.1', () => {
        s.write(head)
        const body = [0x82, 0x00, 0x00]
        const i = setInterval(() => {
          s.write(Buffer.from([body.shift()!]))
          if (body.length === 0) clearInterval(i)
        }, 150)
      })
      s.on('data', (d) => {
        text += d.toString()
        if (text.includes('\r\n\r\n{') && text.endsWith('}')) (s.end(), resolve(text))
      })
    })
    // Read to the end and decoded: a decode error, not a timeout.
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    expect(bodyOf(answer).code).not.toBe('BODY_TIMEOUT')
  })
})

describe('the configuration', () => {
  it('takes bodyTimeoutMs from the file or LAGOON_BODY_TIMEOUT_MS, and refuses a nonsense value', () => {
    const base = { LAGOON_DB: ':memory:', LAGOON_INSTANCE: '11'.repeat(28), LAGOON_OPERATOR: '22'.repeat(28), LAGOON_TERMS: '33'.repeat(32) }
    expect(loadConfig(undefined, base).bodyTimeoutMs).toBeUndefined()
    expect(loadConfig(undefined, { ...base, LAGOON_BODY_TIMEOUT_MS: '5000' }).bodyTimeoutMs).toBe(5000)
    expect(() => loadConfig(undefined, { ...base, LAGOON_BODY_TIMEOUT_MS: '5' })).toThrow(/bodyTimeoutMs/)
  })
})
