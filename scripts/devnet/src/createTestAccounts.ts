import { generateEmulatorAccountFromPrivateKey, type Assets, type EmulatorAccount } from '@lucid-evolution/lucid'

/**
 * `count` fresh funded accounts with an ed25519 private key (bech32 `ed25519_sk…`) and an
 * enterprise testnet address — use `lucid.selectWallet.fromPrivateKey(account.privateKey)`.
 * Private-key accounts make it easy to re-sign forged txs with CML in tests.
 *
 * @example
 * const [alice, bob] = createTestAccounts(2, { lovelace: 10_000_000_000n })
 */
export function createTestAccounts(count: number, assets: Assets = { lovelace: 10_000_000_000n }): EmulatorAccount[] {
  return Array.from({ length: count }, () => generateEmulatorAccountFromPrivateKey({ ...assets }))
}
