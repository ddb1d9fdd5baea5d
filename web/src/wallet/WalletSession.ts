import { CML, type LucidEvolution, type Network, type WalletApi } from '@lucid-evolution/lucid'
import { accountOfAddress, privateKeyWallet, toHex, type Cip8Wallet } from '../../../sdk/src/index.js'
import type { DemoWallet, Setup } from '../setup/loadSetup.js'
import * as layer1 from '../../../sdk/src/client/layer1.js'
import { registerLayer1 } from '../../../sdk/src/client/l1/layer1Registry.js'

// The client's layer-1 methods (deposit, freeze, …) find this module once registered. The SDK's
// `sideEffects: false` lets a bundler drop the entry's own registration, so this chunk does it.
registerLayer1(layer1)
const { connectLucid } = layer1

/** A connected wallet: Lucid for layer 1, the CIP-8 signer for registration, and the account it owns. */
export interface WalletSession {
  /** "demo: alice" or the CIP-30 wallet's name. */
  readonly label: string
  readonly kind: 'cip30' | 'demo'
  readonly lucid: LucidEvolution
  readonly addressBech32: string
  /** The address as CIP-30 gives it (hex of its bytes): what CIP-8 signs with. */
  readonly addressHex: string
  /** The Lagoon account: the address's payment key hash, hex. */
  readonly account: string
  readonly cip8: Cip8Wallet
}

function networkOf(setup: Setup): Network {
  const n = setup.demo?.network ?? setup.instance?.network ?? 'Custom'
  return (['Mainnet', 'Preprod', 'Preview', 'Custom'].includes(n) ? n : 'Custom') as Network
}

async function newLucid(setup: Setup, walletKey?: string): Promise<LucidEvolution> {
  if (!setup.l1Url) throw Object.assign(new Error('no layer-1 API: open the page from `npm start`, or add ?l1=<Blockfrost-compatible URL> to its address'), { code: 'NO_L1_URL' })
  // The SDK's Lucid on a Blockfrost API whose provider keeps the chain's clock (`ChainClockBlockfrost`):
  // validity ranges follow a devnet clock moved ahead of the wall clock (the exodus demo).
  return connectLucid({ url: setup.l1Url, projectId: 'devnet', network: networkOf(setup), ...(walletKey ? { walletKey } : {}) })
}

/**
 * A session with a devnet demo wallet: Lucid on the devnet's Blockfrost API, signing with the wallet's
 * private key, and a CIP-8 signer that signs exactly as a CIP-30 wallet's `signData` does.
 *
 * @example
 * const session = await connectDemoWallet(setup, setup.demo!.demoWallets[0]!)
 */
export async function connectDemoWallet(setup: Setup, wallet: DemoWallet): Promise<WalletSession> {
  const lucid = await newLucid(setup, wallet.privateKey)
  const addressBech32 = await lucid.wallet().address()
  const addressHex = CML.Address.from_bech32(addressBech32).to_hex()
  return { label: `demo: ${wallet.name}`, kind: 'demo', lucid, addressBech32, addressHex, account: toHex(accountOfAddress(addressHex)), cip8: privateKeyWallet(wallet.privateKey) }
}

/**
 * A session with a CIP-30 wallet (`window.cardano[id]`): one `enable()` pop-up; Lucid signs and the
 * wallet's `signData` makes the CIP-8 registration.
 *
 * @example
 * const session = await connectCip30Wallet(setup, 'eternl')
 */
export async function connectCip30Wallet(setup: Setup, id: string): Promise<WalletSession> {
  const cardano = (globalThis as unknown as { cardano: Record<string, { enable(): Promise<WalletApi>; name?: string }> }).cardano
  const api = await cardano[id]!.enable()
  const lucid = await newLucid(setup)
  lucid.selectWallet.fromAPI(api)
  const addressHex = await api.getChangeAddress()
  const addressBech32 = CML.Address.from_hex(addressHex).to_bech32(undefined)
  const cip8: Cip8Wallet = { signData: (addr, payload) => api.signData(addr, payload) }
  return { label: cardano[id]!.name ?? id, kind: 'cip30', lucid, addressBech32, addressHex, account: toHex(accountOfAddress(addressHex)), cip8 }
}
