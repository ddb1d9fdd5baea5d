import { Blockfrost, CML, credentialToAddress, getAddressDetails, Lucid, SLOT_CONFIG_NETWORK, walletFromSeed, type LucidEvolution, type Network } from '@lucid-evolution/lucid'
import { ClientError, NetworkError } from '../errors.js'

/**
 * Lucid's Blockfrost provider with the chain's clock: `now()` is the time of the chain's latest block
 * (refreshed by {@link ChainClockBlockfrost.refresh}), so validity ranges and time locks follow the chain
 * (a devnet's clock can run ahead of the wall clock) — `chainNow` reads it.
 *
 * @example
 * const provider = new ChainClockBlockfrost('http://127.0.0.1:8081', 'devnet')
 * await provider.refresh()
 */
export class ChainClockBlockfrost extends Blockfrost {
  private tipTime: number | undefined

  /** Reads the latest block's time (POSIX ms). */
  async refresh(): Promise<number> {
    const res = await fetch(`${this.url}/blocks/latest`, { headers: this.projectId ? { project_id: this.projectId } : {} })
    if (!res.ok) throw new NetworkError('BAD_RESPONSE', `GET ${this.url}/blocks/latest: HTTP ${res.status}`, { request: 'GET /blocks/latest' })
    const b = (await res.json()) as { time?: number }
    if (typeof b.time !== 'number') throw new NetworkError('BAD_RESPONSE', `GET ${this.url}/blocks/latest: no time`, { request: 'GET /blocks/latest' })
    this.tipTime = b.time * 1000
    return this.tipTime
  }

  /**
   * A confirmed tx's CBOR (`GET /txs/{hash}/cbor`), or undefined: lets proofs follow the anchor's
   * history (exits paid since the last commitment).
   */
  async getTxCbor(txHash: string): Promise<string | undefined> {
    const res = await fetch(`${this.url}/txs/${txHash}/cbor`, { headers: this.projectId ? { project_id: this.projectId } : {} })
    if (!res.ok) return undefined
    return ((await res.json()) as { cbor?: string }).cbor
  }

  /**
   * The chain's time: the latest block's, as last refreshed (the wall clock before any refresh). A
   * validity range starting there is never in the chain's future.
   */
  now(): number {
    return this.tipTime ?? Date.now()
  }
}

/** Parameters of {@link connectLucid}. */
export interface ConnectLucidParams {
  /** A Blockfrost-compatible API: Blockfrost, Yaci DevKit, or `lagoon`'s devnet (`serveBlockfrost`). */
  readonly url: string
  readonly projectId?: string
  readonly network: Network
  /** The wallet: a bech32 `ed25519_sk…`/`ed25519e_sk…` key, or a BIP-39 mnemonic (its first payment key). */
  readonly walletKey?: string
}

/**
 * Lucid Evolution on a Blockfrost-compatible API with a wallet selected, ready for the layer-1 actions
 * (Node or browser). For the `Custom` network (a devnet), the slot clock is read from the API's
 * `/genesis`. The wallet is the enterprise address of the key (a mnemonic gives its first payment
 * key): the address Lagoon pays exits to.
 *
 * @example
 * const lucid = await connectLucid({ url: 'http://127.0.0.1:8081', network: 'Custom', walletKey })
 * await client.deposit({ lucid, amount: 10_000_000n })
 */
export async function connectLucid(params: ConnectLucidParams): Promise<LucidEvolution> {
  const url = params.url.replace(/\/+$/, '')
  const provider = new ChainClockBlockfrost(url, params.projectId ?? '')
  try {
    if (params.network === 'Custom') {
      const res = await fetch(`${url}/genesis`, { headers: params.projectId ? { project_id: params.projectId } : {} })
      if (!res.ok) throw new Error(`HTTP ${res.status}`)
      const g = (await res.json()) as { system_start?: number; slot_length?: number }
      if (typeof g.system_start !== 'number') throw new Error('no system_start in /genesis')
      SLOT_CONFIG_NETWORK.Custom = { zeroTime: g.system_start * 1000, zeroSlot: 0, slotLength: (g.slot_length ?? 1) * 1000 }
    }
    await provider.refresh()
  } catch (e) {
    throw new NetworkError('NETWORK_ERROR', `cannot reach the layer-1 API at ${url}: ${(e as Error).message}`, { request: 'GET /genesis', cause: e })
  }
  const lucid = await Lucid(provider, params.network)
  if (params.walletKey !== undefined) lucid.selectWallet.fromPrivateKey(privateKeyOf(params.walletKey, params.network))
  return lucid
}

/**
 * A bech32 private key from a wallet secret: a bech32 `ed25519_sk…`/`ed25519e_sk…` key as it is, or a
 * BIP-39 mnemonic's first payment key. `ClientError('INVALID_ARGUMENT')` for anything else.
 *
 * @example
 * privateKeyOf('ed25519_sk1…', 'Preprod') // 'ed25519_sk1…'
 */
export function privateKeyOf(secret: string, network: Network): string {
  const s = secret.trim()
  if (/^ed25519e?_sk1[0-9a-z]+$/.test(s)) return s
  const words = s.split(/\s+/)
  if ([12, 15, 18, 21, 24].includes(words.length)) {
    try {
      return walletFromSeed(words.join(' '), { addressType: 'Enterprise', accountIndex: 0, network }).paymentKey
    } catch (e) {
      throw new ClientError('INVALID_ARGUMENT', `the mnemonic is not valid BIP-39: ${(e as Error).message}`, { cause: e })
    }
  }
  throw new ClientError('INVALID_ARGUMENT', 'the wallet key is neither a bech32 ed25519_sk… / ed25519e_sk… key nor a 12–24 word mnemonic')
}

/**
 * The account (payment key hash, hex) and enterprise address (bech32 and hex) of a bech32 private key.
 *
 * @example
 * const { account, address, addressHex } = walletIdentity(privateKey, 'Custom')
 */
export function walletIdentity(privateKey: string, network: Network): { account: string; address: string; addressHex: string } {
  let account: string
  try {
    account = CML.PrivateKey.from_bech32(privateKey).to_public().hash().to_hex()
  } catch (e) {
    throw new ClientError('INVALID_ARGUMENT', 'the wallet key is not a valid bech32 ed25519 private key', { cause: e })
  }
  const address = credentialToAddress(network, { type: 'Key', hash: account })
  return { account, address, addressHex: getAddressDetails(address).address.hex }
}
