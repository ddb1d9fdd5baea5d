import { CML } from '@lucid-evolution/lucid'
import type { CredentialKey } from './CertState.js'

/**
 * The map key of a CML credential.
 *
 * @example
 * credentialKey(CML.Credential.new_pub_key(keyHash)) // 'key:a480…'
 */
export function credentialKey(credential: CML.Credential): CredentialKey {
  const key = credential.as_pub_key()
  if (key) return `key:${key.to_hex()}`
  return `script:${credential.as_script()!.to_hex()}`
}

/**
 * The type and hash of a credential key (Lucid's `Credential` shape).
 *
 * @example
 * parseCredentialKey('script:ab…') // { type: 'Script', hash: 'ab…' }
 */
export function parseCredentialKey(key: CredentialKey): { type: 'Key' | 'Script'; hash: string } {
  return key.startsWith('key:') ? { type: 'Key', hash: key.slice(4) } : { type: 'Script', hash: key.slice(7) }
}

/**
 * The CML credential of a credential key.
 *
 * @example
 * toCmlCredential('key:ab…').kind() // CML.CredentialKind.PubKey
 */
export function toCmlCredential(key: CredentialKey): CML.Credential {
  const { type, hash } = parseCredentialKey(key)
  return type === 'Key' ? CML.Credential.new_pub_key(CML.Ed25519KeyHash.from_hex(hash)) : CML.Credential.new_script(CML.ScriptHash.from_hex(hash))
}

/**
 * The devnet's (network id 0) bech32 reward address of a stake credential.
 *
 * @example
 * rewardAddressOf('key:ab…') // 'stake_test1u…'
 */
export function rewardAddressOf(key: CredentialKey): string {
  return CML.RewardAddress.new(0, toCmlCredential(key)).to_address().to_bech32(undefined)
}
