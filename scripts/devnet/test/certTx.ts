import { CML, type TxSignBuilder } from '@lucid-evolution/lucid'
import { forge, outputsWithLovelace, withBody, type Twin } from './helpers.js'

/** A fresh ed25519 key used as a stake, pool or DRep key, with its devnet reward address. */
export interface TestKey {
  readonly privateKey: string
  readonly keyHash: string
  readonly credential: CML.Credential
  readonly rewardAddress: string
}

/** A new random key. */
export function newKey(): TestKey {
  const sk = CML.PrivateKey.generate_ed25519()
  const hash = sk.to_public().hash()
  const credential = CML.Credential.new_pub_key(hash)
  return { privateKey: sk.to_bech32(), keyHash: hash.to_hex(), credential, rewardAddress: CML.RewardAddress.new(0, credential).to_address().to_bech32(undefined) }
}

/** The devnet reward address of a script credential. */
export function scriptRewardAddress(scriptHash: string): string {
  return CML.RewardAddress.new(0, CML.Credential.new_script(CML.ScriptHash.from_hex(scriptHash))).to_address().to_bech32(undefined)
}

/** What a hand-built certificate tx carries besides its certificates. */
export interface CertTxOptions {
  /** Bech32 private keys that sign it (alice's payment key is always added). */
  readonly keys?: readonly string[]
  /** Lovelace the tx takes out of alice's change for the certificates (deposits − refunds − withdrawals). */
  readonly net?: bigint
  readonly withdrawals?: readonly (readonly [rewardAddress: string, amount: bigint])[]
  readonly nativeScripts?: readonly CML.NativeScript[]
}

/**
 * A tx from alice carrying `certs` (and withdrawals), built by hand: Lucid builds a 2 ADA payment to
 * alice herself, then its body gets the certificates, its change gives up `net` and 0.1 ADA more fee
 * (enough for the certificates and witnesses added), and it is re-signed.
 */
export async function certTx(t: Twin, certs: readonly CML.Certificate[], options: CertTxOptions = {}): Promise<string> {
  const base = await t.lucid.newTx().pay.ToAddress(t.alice.address, { lovelace: 2_000_000n }).complete()
  const cbor = (await base.sign.withWallet().complete()).toCBOR()
  const extraFee = 100_000n
  return forge(cbor, [t.alice.privateKey, ...(options.keys ?? [])], (body, ws) => {
    const c = body.outputs().len() - 1
    const change = body.outputs().get(c).amount().coin() - (options.net ?? 0n) - extraFee
    const b = withBody(body, { outputs: outputsWithLovelace(body.outputs(), c, change), fee: body.fee() + extraFee })
    if (certs.length > 0) {
      const list = CML.CertificateList.new()
      for (const cert of certs) list.add(cert)
      b.set_certs(list)
    }
    if (options.withdrawals) {
      const w = CML.MapRewardAccountToCoin.new()
      for (const [address, amount] of options.withdrawals) w.insert(CML.RewardAddress.from_address(CML.Address.from_bech32(address))!, amount)
      b.set_withdrawals(w)
    }
    if (options.nativeScripts) {
      const list = CML.NativeScriptList.new()
      for (const s of options.nativeScripts) list.add(s)
      ws.set_native_scripts(list)
    }
    return b
  })
}

/** A pool registration: `operator`'s pool, owned by `owners`, paying its rewards to `rewards`' account. */
export function poolRegistration(operator: TestKey, owners: readonly TestKey[], rewards: TestKey, cost = 170_000_000n): CML.Certificate {
  const ownerList = CML.Ed25519KeyHashList.new()
  for (const o of owners) ownerList.add(CML.Ed25519KeyHash.from_hex(o.keyHash))
  const params = CML.PoolParams.new(
    CML.Ed25519KeyHash.from_hex(operator.keyHash),
    CML.VRFKeyHash.from_hex('11'.repeat(32)),
    0n,
    cost,
    CML.UnitInterval.new(1n, 100n),
    CML.RewardAddress.new(0, rewards.credential),
    ownerList,
    CML.RelayList.new(),
  )
  return CML.Certificate.new_pool_registration(params)
}

/** The pool id (bech32) of an operator key. */
export function poolIdOfKey(operator: TestKey): string {
  return CML.Ed25519KeyHash.from_hex(operator.keyHash).to_bech32('pool')
}

/** Signs a Lucid-built tx with alice's wallet and `keys`, returns its CBOR. */
export async function signWith(tx: TxSignBuilder, keys: readonly string[]): Promise<string> {
  let b = tx.sign.withWallet()
  for (const k of keys) b = b.sign.withPrivateKey(k)
  return (await b.complete()).toCBOR()
}
