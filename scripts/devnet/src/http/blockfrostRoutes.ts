import { CML, credentialToRewardAddress, getAddressDetails, type UTxO } from '@lucid-evolution/lucid'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { BlockRecord, StrictEmulator } from '../StrictEmulator.js'
import { BlockfrostHttpError, NOT_FOUND } from './BlockfrostHttpError.js'
import { amountJson, blockJson, EPOCH_LENGTH, protocolParametersJson, scriptCbor, scriptJson, slotTime, txJson, txUtxosJson, utxoJson } from './blockfrostJson.js'
import { ChainIndex, GENESIS_TX_HASH } from './ChainIndex.js'
import { evaluateTx, ogmiosResponse, parseAdditionalUtxos } from './evaluateTx.js'

/** One request as a route sees it. */
export interface BlockfrostRequest {
  readonly params: Record<string, string>
  readonly query: URLSearchParams
  readonly body: Buffer
  readonly contentType: string
}

/** One route of the API: method, path pattern (`:name` segments) and handler (returns the JSON body). */
export interface BlockfrostRoute {
  readonly method: 'GET' | 'POST'
  readonly path: string
  readonly handler: (req: BlockfrostRequest) => unknown
}

const HEX64 = /^[0-9a-f]{64}$/

/** Blockfrost's paging: `count` 1..100 (default 100), `page` ≥ 1, `order` asc | desc. */
function page<T>(items: T[], q: URLSearchParams): T[] {
  const num = (name: string, def: number, max: number) => {
    const v = q.get(name)
    if (v === null) return def
    if (!/^[0-9]+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new BlockfrostHttpError(400, `Invalid value for query parameter ${name}: ${v} (an integer from 1 to ${max})`)
    return Number(v)
  }
  const count = num('count', 100, 100)
  const p = num('page', 1, 21474836)
  const order = q.get('order') ?? 'asc'
  if (order !== 'asc' && order !== 'desc') throw new BlockfrostHttpError(400, `Invalid value for query parameter order: ${order} (asc or desc)`)
  const sorted = order === 'desc' ? [...items].reverse() : items
  return sorted.slice((p - 1) * count, p * count)
}

function hash64(v: string | undefined, what: string): string {
  if (!v || !HEX64.test(v)) throw new BlockfrostHttpError(400, `Invalid ${what}: expected 64 hex characters`)
  return v
}

/**
 * A predicate for the outputs at `a`: a bech32 address, or a bech32 payment credential
 * (`addr_vkh1…`, what Lucid's provider sends for a credential query). 400 when it is neither.
 */
function atAddress(a: string): (u: UTxO) => boolean {
  if (a.startsWith('addr_vkh') || a.startsWith('script1')) {
    let hash: string
    try {
      hash = CML.Ed25519KeyHash.from_bech32(a).to_hex()
    } catch {
      throw new BlockfrostHttpError(400, 'Invalid or malformed payment credential.')
    }
    return (u) => getAddressDetails(u.address).paymentCredential?.hash === hash
  }
  try {
    CML.Address.from_bech32(a)
  } catch {
    throw new BlockfrostHttpError(400, 'Invalid address for this network or malformed address format.')
  }
  return (u) => u.address === a
}

function blockOf(devnet: StrictEmulator, id: string): BlockRecord {
  if (/^[0-9]+$/.test(id)) {
    const b = devnet.getBlock(Number(id))
    if (!b) throw new BlockfrostHttpError(404, NOT_FOUND)
    return b
  }
  hash64(id, 'block hash or number')
  for (let h = devnet.getTip().height; h >= 0; h--) if (devnet.getBlock(h)!.hash === id) return devnet.getBlock(h)!
  throw new BlockfrostHttpError(404, NOT_FOUND)
}

function txHex(req: BlockfrostRequest): string {
  if (req.body.length === 0) throw new BlockfrostHttpError(400, 'The body is empty: send the transaction as CBOR bytes (Content-Type: application/cbor).')
  // Blockfrost takes raw CBOR bytes; a hex string body is accepted too (what curl users often send).
  const text = req.body.toString('latin1').trim()
  return /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? text.toLowerCase() : req.body.toString('hex')
}

/**
 * The Blockfrost API subset on a strict devnet: what Lucid Evolution's `Blockfrost` provider calls
 * (protocol parameters, address UTxOs by address/credential and unit, UTxOs by tx, datums, scripts,
 * delegation, submit, evaluate) plus blocks, txs, tx CBOR, mempool lookups and genesis. Reads are of
 * the confirmed chain, as Blockfrost's.
 *
 * @example
 * const routes = blockfrostRoutes(devnet)
 */
export function blockfrostRoutes(devnet: StrictEmulator): BlockfrostRoute[] {
  const index = new ChainIndex(devnet)
  const synced = () => {
    index.sync()
    return index
  }
  const blockHash = (txHash: string) => devnet.getBlock(synced().position(txHash).height)!.hash
  const epoch = () => Math.floor(devnet.getTip().slot / EPOCH_LENGTH)
  const utxosAt = (a: string, unit?: string) => {
    const match = atAddress(a)
    return synced()
      .unspent()
      .filter((u) => match(u) && (unit === undefined || (u.assets[unit] ?? 0n) > 0n))
  }
  const get = (path: string, handler: BlockfrostRoute['handler']): BlockfrostRoute => ({ method: 'GET', path, handler })
  const post = (path: string, handler: BlockfrostRoute['handler']): BlockfrostRoute => ({ method: 'POST', path, handler })

  return [
    get('/', () => ({ url: 'https://github.com/lagoon (strict devnet)', version: '0.1.0' })),
    get('/health', () => ({ is_healthy: true })),
    get('/health/clock', () => ({ server_time: Date.now() })),
    get('/genesis', () => ({
      active_slots_coefficient: 0.05,
      update_quorum: 5,
      max_lovelace_supply: '45000000000000000',
      network_magic: 42,
      epoch_length: EPOCH_LENGTH,
      system_start: devnet.genesisTime / 1000,
      slots_per_kes_period: 129600,
      slot_length: 1,
      max_kes_evolutions: 62,
      security_param: 2160,
    })),
    get('/epochs/latest', () => {
      const tip = devnet.getTip()
      const e = epoch()
      return { epoch: e, start_time: slotTime(devnet, e * EPOCH_LENGTH), end_time: slotTime(devnet, (e + 1) * EPOCH_LENGTH), first_block_time: slotTime(devnet, 0), last_block_time: slotTime(devnet, tip.slot), block_count: tip.height + 1, tx_count: 0, output: '0', fees: '0', active_stake: null }
    }),
    get('/epochs/latest/parameters', () => protocolParametersJson(devnet.protocolParameters, epoch())),
    get('/epochs/:epoch/parameters', () => protocolParametersJson(devnet.protocolParameters, epoch())),
    get('/blocks/latest', () => blockJson(devnet, devnet.getBlock(devnet.getTip().height)!)),
    get('/blocks/latest/txs', (r) => page(devnet.getBlock(devnet.getTip().height)!.txs.map((t) => t.txHash), r.query)),
    get('/blocks/:id', (r) => blockJson(devnet, blockOf(devnet, r.params.id!))),
    get('/blocks/:id/txs', (r) => page(blockOf(devnet, r.params.id!).txs.map((t) => t.txHash), r.query)),
    get('/addresses/:address', (r) => {
      const utxos = utxosAt(r.params.address!)
      const total: Record<string, bigint> = {}
      for (const u of utxos) for (const [k, q] of Object.entries(u.assets)) total[k] = (total[k] ?? 0n) + q
      const details = getAddressDetails(r.params.address!)
      return { address: r.params.address, amount: amountJson(total), stake_address: details.stakeCredential ? credentialToRewardAddress('Custom', details.stakeCredential) : null, type: 'shelley', script: details.paymentCredential?.type === 'Script' }
    }),
    get('/addresses/:address/utxos', (r) => page(utxosAt(r.params.address!), r.query).map((u) => utxoJson(u, blockHash(u.txHash)))),
    get('/addresses/:address/utxos/:unit', (r) => page(utxosAt(r.params.address!, r.params.unit!), r.query).map((u) => utxoJson(u, blockHash(u.txHash)))),
    get('/assets/:unit/addresses', (r) => {
      const by = new Map<string, bigint>()
      for (const u of synced().unspent()) {
        const q = u.assets[r.params.unit!] ?? 0n
        if (q > 0n) by.set(u.address, (by.get(u.address) ?? 0n) + q)
      }
      if (by.size === 0) throw new BlockfrostHttpError(404, NOT_FOUND)
      return page([...by].map(([address, q]) => ({ address, quantity: String(q) })), r.query)
    }),
    get('/txs/:hash', (r) => {
      synced()
      const tx = txJson(devnet, index, hash64(r.params.hash, 'transaction hash'))
      if (!tx) throw new BlockfrostHttpError(404, NOT_FOUND)
      return tx
    }),
    get('/txs/:hash/utxos', (r) => {
      const out = txUtxosJson(synced(), hash64(r.params.hash, 'transaction hash'), GENESIS_TX_HASH)
      if (!out) throw new BlockfrostHttpError(404, NOT_FOUND)
      return out
    }),
    get('/txs/:hash/cbor', (r) => {
      const at = synced().tx(hash64(r.params.hash, 'transaction hash'))
      if (!at) throw new BlockfrostHttpError(404, NOT_FOUND)
      return { cbor: at.record.cbor }
    }),
    get('/mempool/:hash', (r) => {
      const h = hash64(r.params.hash, 'transaction hash')
      const rec = devnet.getConfirmations(h) === 0 ? devnet.getTxRecord(h) : undefined
      if (!rec) throw new BlockfrostHttpError(404, NOT_FOUND)
      const outputs = rec.created.map((flat) => devnet.mempool[flat]?.utxo).filter((u): u is UTxO => u !== undefined)
      return {
        tx: { hash: h, fees: String(CML.Transaction.from_cbor_hex(rec.cbor).body().fee()), size: rec.cbor.length / 2, valid_contract: true },
        inputs: rec.spent.map((u) => ({ address: u.address, tx_hash: u.txHash, output_index: u.outputIndex, collateral: false, reference: false })),
        outputs: outputs.map((u) => ({ address: u.address, amount: amountJson(u.assets), output_index: u.outputIndex, inline_datum: u.datum ?? null })),
        redeemers: [],
      }
    }),
    get('/scripts/datum/:hash/cbor', (r) => {
      const cbor = synced().datum(hash64(r.params.hash, 'datum hash'))
      if (!cbor) throw new BlockfrostHttpError(404, NOT_FOUND)
      return { cbor }
    }),
    get('/scripts/:hash', (r) => {
      const s = synced().script(r.params.hash!)
      if (!s) throw new BlockfrostHttpError(404, NOT_FOUND)
      return scriptJson(r.params.hash!, s)
    }),
    get('/scripts/:hash/cbor', (r) => {
      const s = synced().script(r.params.hash!)
      if (!s) throw new BlockfrostHttpError(404, NOT_FOUND)
      return { cbor: scriptCbor(s) }
    }),
    get('/accounts/:stake', (r) => {
      const entry = devnet.chain[r.params.stake!]
      if (!entry) throw new BlockfrostHttpError(404, NOT_FOUND)
      return {
        stake_address: r.params.stake,
        active: entry.registeredStake,
        active_epoch: entry.registeredStake ? 0 : null,
        controlled_amount: '0',
        rewards_sum: String(entry.delegation.rewards),
        withdrawals_sum: '0',
        reserves_sum: '0',
        treasury_sum: '0',
        withdrawable_amount: String(entry.delegation.rewards),
        pool_id: entry.delegation.poolId,
        drep_id: null,
      }
    }),
    post('/tx/submit', async (r) => {
      try {
        return await devnet.submitTx(txHex(r))
      } catch (e) {
        if (e instanceof DevnetRuleError) {
          throw new BlockfrostHttpError(400, `${e.code}: ${e.message}`, { code: e.code, ...(e.details ? { details: e.details } : {}) })
        }
        throw new BlockfrostHttpError(400, `the transaction was refused: ${(e as Error)?.message ?? String(e)}`)
      }
    }),
    post('/utils/txs/evaluate', (r) => ogmiosResponse(evaluateTx(devnet, txHex(r), []))),
    post('/utils/txs/evaluate/utxos', (r) => {
      let json: { cbor?: unknown; additionalUtxoSet?: unknown }
      try {
        json = JSON.parse(r.body.toString('utf8')) as typeof json
      } catch {
        throw new BlockfrostHttpError(400, 'The body must be JSON: { "cbor": "<tx hex>", "additionalUtxoSet": [...] }')
      }
      if (typeof json?.cbor !== 'string' || !/^[0-9a-fA-F]+$/.test(json.cbor)) throw new BlockfrostHttpError(400, 'body.cbor must be the transaction as a hex string')
      return ogmiosResponse(evaluateTx(devnet, json.cbor, parseAdditionalUtxos(json.additionalUtxoSet)))
    }),
  ]
}
