import { CML, type Emulator } from '@lucid-evolution/lucid'
import type { CertState } from './CertState.js'
import { rewardAddressOf } from './credentialKey.js'

/**
 * A pool's bech32 id (`pool1…`) from its operator key hash.
 *
 * @example
 * poolIdOf('ab…') // 'pool1…'
 */
export function poolIdOf(operatorKeyHash: string): string {
  return CML.Ed25519KeyHash.from_hex(operatorKeyHash).to_bech32('pool')
}

/**
 * The cert state in the shape of Lucid's `Emulator['chain']` (registered reward addresses with their
 * pool and rewards), which the Emulator's own readers (`getDelegation`, the Blockfrost API's
 * `/accounts`) understand.
 *
 * @example
 * devnet.chain = chainViewOf(certState)
 */
export function chainViewOf(state: CertState): Emulator['chain'] {
  const view: Emulator['chain'] = {}
  for (const [credential, account] of state.accounts) {
    view[rewardAddressOf(credential)] = { registeredStake: true, delegation: { poolId: account.pool === null ? null : poolIdOf(account.pool), rewards: account.rewards } }
  }
  return view
}
