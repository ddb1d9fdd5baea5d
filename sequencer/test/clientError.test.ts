import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode, type TestNode } from './support/harness.js'

let t: TestNode
beforeAll(async () => {
  t = await startTestNode()
})
afterAll(async () => {
  await t.stop()
})

/** Sends raw bytes on a fresh connection and returns everything the server answers before closing. */
function raw(bytes: string): Promise<string> {
  const { port } = new URL(t.url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes))
    let answer = ''
    socket.on('data', (d) => (answer += d.toString()))
    socket.on('end', () => resolve(answer))
    socket.on('error', reject)
  })
}

describe("requests Node's HTTP parser refuses", () => {
  it('malformed HTTP gets 400 with a JSON code, and the node keeps serving', async () => {
    const answer = await raw('GARBAGE \x00\x01 nonsense\r\n\r\n')
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ code: 'MALFORMED_HTTP', message: 'the request is not valid HTTP/1.1' })
    expect((await fetch(`${t.url}/health`)).status).toBe(200)
  })

  it('a header block past 16 KB gets 431 HEADERS_TOO_LARGE, and nothing is applied', async () => {
    const before = t.node.sequencer.tip.seq
    const answer = await raw(`POST /tx HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\ncontent-length: 0\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1\.1 431 /)
    expect(answer).toContain('"code":"HEADERS_TOO_LARGE"')
    expect(t.node.sequencer.tip.seq).toBe(before)
  })
})
