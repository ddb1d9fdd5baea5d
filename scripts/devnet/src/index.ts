/**
 * `@lagoon/devnet` — a strict Cardano devnet on Lucid Evolution's Emulator.
 *
 * @example
 * import { createDevnet, createTestAccounts, DevnetRuleError } from '@lagoon/devnet'
 * const [alice] = createTestAccounts(1)
 * const devnet = createDevnet({ accounts: [alice!] })
 */
export { DevnetRuleError, type DevnetRuleCode } from './DevnetRuleError.js'
export { StrictEmulator, SLOTS_PER_BLOCK, type BlockRecord, type ChainTip, type TxRecord } from './StrictEmulator.js'
export type { CertState, CredentialKey, DRepState, DRepTarget, PoolState, StakeAccount } from './ledger/CertState.js'
export type { StakeAccountInfo } from './ledger/StakeAccountInfo.js'
export { credentialKey, rewardAddressOf } from './ledger/credentialKey.js'
export { poolIdOf } from './ledger/chainViewOf.js'
export { EPOCH_LENGTH_SLOTS, epochOf } from './ledger/epochOf.js'
export { MIN_POOL_COST, POOL_RETIREMENT_MAX_EPOCHS } from './rules/applyPoolCertificate.js'
export { createDevnet, type DevnetOptions } from './createDevnet.js'
export { createTestAccounts } from './createTestAccounts.js'
export { computeMinFee, referenceScriptFee, type MinFee } from './rules/checkFee.js'
export { minUtxoLovelace } from './rules/checkOutputs.js'
export { MAX_REFERENCE_SCRIPTS_SIZE } from './rules/checkReferenceScripts.js'
export { referenceScriptSize, referenceScriptsSize } from './rules/referenceScriptsSize.js'
export { expectedScriptDataHash } from './rules/checkScriptIntegrity.js'
export type { RuleContext } from './rules/RuleContext.js'
export { serveBlockfrost, type BlockfrostServer, type ServeBlockfrostOptions } from './http/serveBlockfrost.js'
export { BlockfrostHttpError } from './http/BlockfrostHttpError.js'
