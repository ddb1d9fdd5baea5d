import { decodeCanonical } from '../../../sdk/src/core/cbor/canonical.js'
import { toHex } from '../../../sdk/src/core/bytes.js'
import { loadBlake2b256 } from '../../../sdk/src/core/crypto/blake2b256.js'
import { MemoryLedger } from '../../../sdk/src/core/ledger/MemoryLedger.js'
import { DEFAULT_LIMITS } from '../../../sdk/src/core/limits.js'
import { decodeTask } from '../../../sdk/src/core/task/decodeTask.js'
import { context } from '../../../sdk/test/support/world.js'

/**
 * Downloads the whole task log through `GET /log` (paged) and replays it in a fresh `MemoryLedger`,
 * as an auditor would; checks every entry's seq and head on the way.
 */
export async function replayLog(url: string, pageSize = 50): Promise<{ root: string; seq: number; head: string; entries: number }> {
  const hash = await loadBlake2b256()
  const ledger = new MemoryLedger(context(hash), { keepLog: false })
  let from = 1
  for (;;) {
    const res = await fetch(`${url}/log?from=${from}&limit=${pageSize}`)
    if (res.status !== 200) throw new Error(`GET /log: ${res.status}`)
    const page = decodeCanonical(new Uint8Array(await res.arrayBuffer()), 64 * 1024 * 1024) as [number, Uint8Array, Uint8Array][]
    if (page.length === 0) break
    for (const [seq, bytes, head] of page) {
      const r = ledger.submit(decodeTask(bytes, hash, DEFAULT_LIMITS))
      if (!r.ok) throw new Error(`replay of seq ${seq} rejected: ${r.rejection.code}`)
      if (r.seq !== seq || toHex(r.head) !== toHex(head)) throw new Error(`replay diverges at seq ${seq}`)
    }
    from = Number(res.headers.get('lagoon-next-from'))
  }
  return { root: toHex(ledger.state.root()), seq: ledger.seq, head: toHex(ledger.head), entries: ledger.seq }
}
