import { connect } from 'node:net'
import type { Rng } from './Rng.js'

/** What came back on a raw socket: the status line's code (0: none, the server closed), and the body. */
export interface RawAnswer {
  readonly kind: string
  readonly status: number
  readonly body: string
}

/**
 * Requests no HTTP client would send, on a raw socket: a garbage request line, a header block past
 * the parser's limit, bogus chunk sizes, a content-length that lies (longer than what follows, then a
 * close), conflicting lengths, a body cut off mid-way.
 *
 * @example
 * const a = await rawRequest(rng, '127.0.0.1', 8710, walletToken)
 */
export function rawRequest(r: Rng, host: string, port: number, token: string): Promise<RawAnswer> {
  const auth = `Authorization: Bearer ${token}\r\n`
  const cases: [string, string | Buffer, boolean][] = [
    ['garbage-line', Buffer.from(r.bytes(200)), false],
    ['bad-version', 'GET /health HTTP/9.9\r\n\r\n', false],
    ['huge-header', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`, false],
    ['bogus-chunk', `POST /tx HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/cbor\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\nabc\r\n0\r\n\r\n`, false],
    ['chunked-huge', `POST /txs HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/cbor\r\nTransfer-Encoding: chunked\r\n\r\n${'4000\r\n' + 'A'.repeat(0x4000) + '\r\n'}`.repeat(1) + '0\r\n\r\n', false],
    ['length-lies', `POST /tx HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/cbor\r\nContent-Length: 5000\r\n\r\n\x82\x85`, true],
    ['two-lengths', `POST /tx HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/cbor\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`, false],
    ['negative-length', `POST /tx HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/cbor\r\nContent-Length: -1\r\n\r\n`, false],
    ['huge-length', `POST /tx HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/cbor\r\nContent-Length: 99999999999999999999\r\n\r\nab`, false],
    ['te-and-cl', `POST /tx HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/cbor\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, false],
    ['bad-json-register', `POST /accounts/register HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: 10\r\n\r\n{"account"`, false],
    ['no-host-pipelined', `GET /health HTTP/1.1\r\n\r\nGET /state HTTP/1.1\r\n\r\nGARBAGE\r\n\r\n`, false],
  ]
  const [kind, payload, closeEarly] = r.pick(cases)
  return new Promise((resolve) => {
    const s = connect({ host, port })
    let data = ''
    const finish = () => {
      s.destroy()
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data)
      const body = data.split('\r\n\r\n').slice(1).join('\r\n\r\n')
      resolve({ kind, status: m ? Number(m[1]) : 0, body })
    }
    s.setTimeout(3000, finish)
    s.on('data', (d) => {
      data += d.toString('latin1')
      if (data.length > 200_000) finish()
    })
    s.on('error', finish)
    s.on('close', finish)
    s.on('connect', () => {
      s.write(payload)
      if (closeEarly) setTimeout(() => s.end(), 20)
    })
  })
}
