import { CML, getAddressDetails } from '@lucid-evolution/lucid'
import { certificateAuthors, CERTIFICATE_KIND_NAMES } from '../ledger/certificateAuthors.js'
import { credentialKey, parseCredentialKey } from '../ledger/credentialKey.js'
import type { CredentialKey } from '../ledger/CertState.js'
import type { RuleContext } from './RuleContext.js'

/**
 * A script a tx must provide (in its witness set or as a reference script of a spent or read input)
 * and the purpose it runs for; a Plutus script needs a redeemer at (`tag`, `index`).
 *
 * @example
 * const s: NeededScript = { hash: 'ab…', tag: CML.RedeemerTag.Cert, index: 0, purpose: 'certificate 0 (UnregCert)' }
 */
export interface NeededScript {
  readonly hash: string
  readonly tag: CML.RedeemerTag
  readonly index: number
  readonly purpose: string
}

/**
 * The witnesses the ledger requires of a tx (`witsVKeyNeeded` and `scriptsNeeded`): key hashes that
 * must sign (with what each signs for) and scripts that must run.
 *
 * @example
 * const { keys, scripts } = neededWitnesses(ctx)
 */
export interface NeededWitnesses {
  readonly keys: ReadonlyMap<string, string>
  readonly scripts: readonly NeededScript[]
}

/**
 * Every witness a tx needs, as the Conway ledger computes it, with redeemer indices in the ledger's
 * orders: spent inputs sorted by (tx id, index) and the collateral inputs (key-locked ones sign;
 * collateral at a script is refused by `checkWitnesses`), required signers, minting policies sorted
 * by policy id, withdrawals sorted as the ledger orders reward accounts (network, then script
 * credentials before key credentials, then hash), and every certificate's authors
 * (`certificateAuthors`), by certificate index.
 *
 * @example
 * neededWitnesses(ctx).keys.has(aliceKeyHash) // true when alice's UTxO is spent
 */
export function neededWitnesses(ctx: RuleContext): NeededWitnesses {
  const keys = new Map<string, string>()
  const scripts: NeededScript[] = []
  const need = (credential: CredentialKey, tag: CML.RedeemerTag, index: number, purpose: string) => {
    const { type, hash } = parseCredentialKey(credential)
    if (type === 'Key') {
      if (!keys.has(hash)) keys.set(hash, purpose)
    } else scripts.push({ hash, tag, index, purpose })
  }

  const spent = [...ctx.inputs].sort((a, b) => (a.txHash < b.txHash ? -1 : a.txHash > b.txHash ? 1 : a.outputIndex - b.outputIndex))
  spent.forEach((u, i) => {
    const cred = getAddressDetails(u.address).paymentCredential
    if (cred) need(`${cred.type === 'Key' ? 'key' : 'script'}:${cred.hash}`, CML.RedeemerTag.Spend, i, `spend of ${u.txHash}#${u.outputIndex}`)
  })
  for (const u of ctx.collateralInputs) {
    const cred = getAddressDetails(u.address).paymentCredential
    if (cred?.type === 'Key') need(`key:${cred.hash}`, CML.RedeemerTag.Spend, -1, `collateral ${u.txHash}#${u.outputIndex}`)
  }
  const signers = ctx.body.required_signers()
  for (let i = 0; i < (signers?.len() ?? 0); i++) need(`key:${signers!.get(i).to_hex()}`, CML.RedeemerTag.Spend, -1, 'a required signer')

  const mint = ctx.body.mint()
  const policies = mint ? Array.from({ length: mint.keys().len() }, (_, i) => mint.keys().get(i).to_hex()).sort() : []
  policies.forEach((p, i) => need(`script:${p}`, CML.RedeemerTag.Mint, i, `minting policy ${p}`))

  for (const [i, w] of sortedRewardAccounts(ctx.body).entries()) need(w.credential, CML.RedeemerTag.Reward, i, `withdrawal from ${w.bech32}`)

  const certs = ctx.body.certs()
  for (let i = 0; i < (certs?.len() ?? 0); i++) {
    const cert = certs!.get(i)
    for (const author of certificateAuthors(cert)) need(author, CML.RedeemerTag.Cert, i, `certificate ${i} (${CERTIFICATE_KIND_NAMES[cert.kind()]})`)
  }
  return { keys, scripts }
}

/**
 * A tx's withdrawal accounts in the ledger's order (the order of their `Reward` redeemer indices):
 * by network, then script credentials before key credentials (the ledger's `Credential` declares
 * `ScriptHashObj` first), then by hash.
 *
 * @example
 * sortedRewardAccounts(body).map((w) => w.bech32)
 */
export function sortedRewardAccounts(body: CML.TransactionBody): { credential: CredentialKey; bech32: string }[] {
  const w = body.withdrawals()
  if (!w) return []
  const keys = w.keys()
  const list = Array.from({ length: keys.len() }, (_, i) => {
    const ra = keys.get(i)
    return { network: ra.network_id(), credential: credentialKey(ra.payment()), bech32: ra.to_address().to_bech32(undefined) }
  })
  const rank = (k: CredentialKey) => (k.startsWith('script:') ? '0' : '1') + parseCredentialKey(k).hash
  return list.sort((a, b) => a.network - b.network || (rank(a.credential) < rank(b.credential) ? -1 : rank(a.credential) > rank(b.credential) ? 1 : 0))
}
