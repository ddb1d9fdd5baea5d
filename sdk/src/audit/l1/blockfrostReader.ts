import { LagoonError } from '../../errors/LagoonError.js'
import type { L1Output, L1Reader, L1TxRecord } from './L1Reader.js'

/**
 * Where a Blockfrost-compatible API is.
 *
 * @example
 * blockfrostReader({ url: 'https://cardano-preprod.blockfrost.io/api/v0', projectId: 'preprod…' })
 */
export interface BlockfrostReaderOptions {
  /** e.g. `https://cardano-preprod.blockfrost.io/api/v0`, or the devnet's `serveBlockfrost` URL. */
  readonly url: string
  /** Blockfrost's `project_id` header; omit for a local API. */
  readonly projectId?: string
  readonly fetch?: (input: string, init?: RequestInit) => Promise<Response>
}

/**
 * Layer 1 could not be read (network, HTTP error, unexpected JSON): not a divergence.
 *
 * @example
 * try { await l1.getTx(h) } catch (e) { if (e instanceof L1ReadError) retryLater() }
 */
export class L1ReadError extends LagoonError {
  declare readonly code: 'L1_UNAVAILABLE'
  constructor(message: string, cause?: unknown) {
    super('L1_UNAVAILABLE', message, cause === undefined ? undefined : { cause })
  }
}

interface BfAmount {
  unit: string
  quantity: string
}
interface BfOutput {
  tx_hash?: string
  output_index: number
  address: string
  amount: BfAmount[]
  inline_datum?: string | null
  collateral?: boolean
  reference?: boolean
}

const assetsOf = (amount: BfAmount[]): Record<string, bigint> => Object.fromEntries(amount.map((a) => [a.unit, BigInt(a.quantity)]))

/**
 * An {@link L1Reader} over a Blockfrost-compatible HTTP API: `GET /addresses/{address}/utxos` (paged),
 * `GET /txs/{hash}/cbor` and `GET /txs/{hash}/utxos`. Works in browsers and Node (global `fetch`).
 *
 * @example
 * const l1 = blockfrostReader({ url: 'https://cardano-mainnet.blockfrost.io/api/v0', projectId: 'mainnet…' })
 * const tx = await l1.getTx(txHash)
 */
export function blockfrostReader(opts: BlockfrostReaderOptions): L1Reader {
  const base = opts.url.replace(/\/+$/, '')
  const f = opts.fetch ?? ((i: string, init?: RequestInit) => fetch(i, init))
  const headers: Record<string, string> = opts.projectId ? { project_id: opts.projectId } : {}
  async function get<T>(path: string): Promise<T | undefined> {
    let res: Response
    try {
      res = await f(`${base}${path}`, { headers })
    } catch (e) {
      throw new L1ReadError(`layer 1 at ${base} did not answer GET ${path}: ${(e as Error)?.message ?? e}`, e)
    }
    if (res.status === 404) return undefined
    if (!res.ok) throw new L1ReadError(`layer 1 at ${base}: GET ${path} answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`)
    try {
      return (await res.json()) as T
    } catch (e) {
      throw new L1ReadError(`layer 1 at ${base}: GET ${path} did not return JSON`, e)
    }
  }
  return {
    async utxosAt(address) {
      const out: L1Output[] = []
      for (let page = 1; ; page++) {
        const rows = await get<BfOutput[]>(`/addresses/${address}/utxos?count=100&page=${page}`)
        if (!rows || rows.length === 0) break
        for (const r of rows) out.push({ txHash: r.tx_hash!, outputIndex: r.output_index, address: r.address, assets: assetsOf(r.amount), datum: r.inline_datum ?? null })
        if (rows.length < 100) break
      }
      return out
    },
    async getTx(txHash): Promise<L1TxRecord | undefined> {
      const [cbor, utxos] = await Promise.all([get<{ cbor: string }>(`/txs/${txHash}/cbor`), get<{ inputs: BfOutput[] }>(`/txs/${txHash}/utxos`)])
      if (!cbor?.cbor || !utxos) return undefined
      return {
        cbor: cbor.cbor,
        inputs: utxos.inputs
          .filter((i) => !i.collateral && !i.reference)
          .map((i) => ({ txHash: i.tx_hash!, outputIndex: i.output_index, address: i.address, assets: assetsOf(i.amount), datum: i.inline_datum ?? null })),
      }
    },
  }
}
