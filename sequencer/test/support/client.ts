import { toHex } from '../../../sdk/src/core/bytes.js'
import type { KeyTask } from '../../../sdk/src/core/task/types.js'

/** A small fetch wrapper for the tests: JSON or CBOR bodies, an optional bearer token. */
export function client(url: string, token?: string) {
  const headers = (type?: string): Record<string, string> => ({
    ...(type ? { 'content-type': type } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  })
  return {
    async postCbor(path: string, bytes: Uint8Array, type = 'application/cbor') {
      const res = await fetch(url + path, { method: 'POST', headers: headers(type), body: bytes as Uint8Array<ArrayBuffer> })
      return { status: res.status, json: (await res.json()) as any }
    },
    async postJson(path: string, body: unknown) {
      const res = await fetch(url + path, { method: 'POST', headers: headers('application/json'), body: typeof body === 'string' ? body : JSON.stringify(body) })
      return { status: res.status, json: (await res.json()) as any }
    },
    async post(path: string) {
      const res = await fetch(url + path, { method: 'POST', headers: headers() })
      return { status: res.status, json: (await res.json()) as any }
    },
    async get(path: string) {
      const res = await fetch(url + path, { headers: headers() })
      const type = res.headers.get('content-type') ?? ''
      return {
        status: res.status,
        headers: res.headers,
        json: type.includes('json') ? ((await res.json()) as any) : undefined,
        bytes: type.includes('json') ? undefined : new Uint8Array(await res.arrayBuffer()),
      }
    },
  }
}

/** The JSON body of `POST /accounts/register` for a key task. */
export function keyJson(t: KeyTask): { account: string; signature: string; key: string } {
  return { account: toHex(t.account), signature: toHex(t.signature), key: toHex(t.key) }
}
