import { getAddressDetails, type EmulatorAccount } from '@lucid-evolution/lucid'
import { createTestAccounts } from '@lagoon/devnet'

/** A funded wallet of the demo devnet: use its key with Lucid (`selectWallet.fromPrivateKey`) or the CLI. */
export interface DemoWallet {
  readonly name: string
  /** bech32 enterprise address on the devnet (`addr_test1…`). */
  readonly address: string
  /** bech32 ed25519 private key (`ed25519_sk1…`): a devnet key, never use it elsewhere. */
  readonly privateKey: string
  /** The Lagoon account of this wallet: its payment key hash, hex. */
  readonly account: string
}

/**
 * Names of the demo wallets, in order (after them: wallet9, wallet10, …).
 *
 * @example
 * DEMO_NAMES.slice(0, 3) // ['alice', 'bob', 'carol']
 */
export const DEMO_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']

/**
 * `count` fresh funded wallets named alice, bob, carol, … (new keys every start).
 *
 * @example
 * const { wallets, genesis } = createDemoWallets(3, 10_000_000_000n)
 */
export function createDemoWallets(count: number, lovelace: bigint): { wallets: DemoWallet[]; genesis: EmulatorAccount[] } {
  const genesis = createTestAccounts(count, { lovelace })
  const wallets = genesis.map((a, i) => ({
    name: DEMO_NAMES[i] ?? `wallet${i + 1}`,
    address: a.address,
    privateKey: a.privateKey,
    account: getAddressDetails(a.address).paymentCredential!.hash,
  }))
  return { wallets, genesis }
}
