import { PROTOCOL_PARAMETERS_DEFAULT, type EmulatorAccount, type ProtocolParameters } from '@lucid-evolution/lucid'
import { StrictEmulator } from './StrictEmulator.js'

/**
 * Options of `createDevnet`.
 *
 * @example
 * const options: DevnetOptions = { accounts: createTestAccounts(2) }
 */
export interface DevnetOptions {
  /** Funded genesis outputs (see `createTestAccounts` / Lucid's `generateEmulatorAccount`). */
  readonly accounts: EmulatorAccount[]
  /** Defaults to Lucid's `PROTOCOL_PARAMETERS_DEFAULT` (mainnet-like Conway parameters). */
  readonly protocolParameters?: Partial<ProtocolParameters>
  /** POSIX ms of slot 0; default now. */
  readonly genesisTime?: number
}

/**
 * Creates a strict devnet: a Lucid provider that enforces the ledger rules on submit and keeps
 * block heights, a tip and rollbacks.
 *
 * @example
 * const [alice] = createTestAccounts(1)
 * const devnet = createDevnet({ accounts: [alice!] })
 * const lucid = await Lucid(devnet, 'Custom')
 * lucid.selectWallet.fromPrivateKey(alice!.privateKey)
 */
export function createDevnet(options: DevnetOptions): StrictEmulator {
  return new StrictEmulator(options.accounts, { ...PROTOCOL_PARAMETERS_DEFAULT, ...options.protocolParameters }, options.genesisTime)
}
