/**
 * A Lagoon instance minted on a fresh strict devnet, with its operator and users funded on layer 1:
 * the layer-1 world every node, auditor, relay and reliability test starts from (each adds its own
 * node set-up on top).
 */
import { credentialToAddress, getAddressDetails, Lucid, type EmulatorAccount, type LucidEvolution, type UTxO } from '@lucid-evolution/lucid'
import { createDevnet, createTestAccounts, type StrictEmulator } from '@lagoon/devnet'
import { fromHex, toHex } from '../../src/core/bytes.js'
import { blake2b256Reference } from '../../src/core/crypto/blake2b256.js'
import { buildSignedTx } from '../../src/core/tx/buildSignedTx.js'
import type { Action } from '../../src/core/tx/types.js'
import { buildDepositTx, buildInitTx, type LagoonScripts } from '../../src/l1/index.js'
import type { User } from './world.js'

/** One ADA in lovelace. @example 20n * ADA */
export const ADA = 1_000_000n

/** The devnet, its minted instance, the operator (who minted it) and the users with layer-1 wallets. */
export interface DevnetInstance {
  readonly devnet: StrictEmulator
  readonly lucid: LucidEvolution
  readonly operator: EmulatorAccount
  /** The operator's payment key hash (the anchor's operator). */
  readonly operatorKeyHash: string
  readonly scripts: LagoonScripts
  readonly users: User[]
}

/** A user's enterprise address on the devnet. @example addressOf(user(1)) */
export const addressOf = (u: User): string => credentialToAddress('Custom', { type: 'Key', hash: toHex(u.account) })

/**
 * Mints an instance (exodus timeout one day) on a new strict devnet; each user's wallet holds 1,000 ADA.
 * Lucid is left on the operator's wallet.
 *
 * @example
 * const w = await devnetInstance([user(1), user(2)])
 */
export async function devnetInstance(users: User[]): Promise<DevnetInstance> {
  const [operator] = createTestAccounts(1, { lovelace: 100_000_000_000n }) as [EmulatorAccount]
  const wallets = users.map((u) => ({ seedPhrase: '', address: addressOf(u), assets: { lovelace: 1_000_000_000n }, privateKey: u.walletKey }))
  const devnet = createDevnet({ accounts: [operator, ...wallets] })
  const lucid = await Lucid(devnet, 'Custom')
  lucid.selectWallet.fromPrivateKey(operator.privateKey)
  const [seed] = await lucid.wallet().getUtxos()
  const operatorKeyHash = getAddressDetails(operator.address).paymentCredential!.hash
  const { scripts, tx } = buildInitTx(lucid, { seed: seed!, operator: operatorKeyHash, exodusTimeout: 86_400_000n, now: devnet.now() })
  await devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
  devnet.awaitBlock(1)
  return { devnet, lucid, operator, operatorKeyHash, scripts, users }
}

/** A layer-2 tx signed by `u` for the instance. @example submit(url, l2tx(w, alice, 0, [{ type: 'transfer', to, amount }])) */
export function l2tx(w: Pick<DevnetInstance, 'scripts'>, u: User, nonce: number, actions: Action[]) {
  return buildSignedTx({ instance: fromHex(w.scripts.policyId), signer: u.account, nonce, fee: 0n, actions }, u.l2Secret, blake2b256Reference)
}

/** Locks `amount` at the deposit address from `u`'s wallet (refundable after `refundInMs`); returns the tx hash. @example await deposit(w, alice, 50n * ADA) */
export async function deposit(w: Pick<DevnetInstance, 'devnet' | 'lucid' | 'operator' | 'scripts'>, u: User, amount: bigint, refundInMs = 3 * 3_600_000): Promise<string> {
  w.lucid.selectWallet.fromPrivateKey(u.walletKey)
  try {
    const tx = buildDepositTx(w.lucid, w.scripts, { owner: toHex(u.account), refundAfter: BigInt(w.devnet.now() + refundInMs) }, amount)
    return await w.devnet.submitTx((await (await tx.complete()).sign.withWallet().complete()).toCBOR())
  } finally {
    w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
  }
}

/** The anchor output now. @example anchorDatumFromData((await anchorOf(w)).datum!) */
export const anchorOf = async (w: Pick<DevnetInstance, 'devnet' | 'scripts'>): Promise<UTxO> =>
  (await w.devnet.getUtxos(w.scripts.anchorAddress)).find((u) => u.assets[w.scripts.unit] === 1n)!
