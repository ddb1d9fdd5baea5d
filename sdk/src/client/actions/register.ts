import { toHex } from '../../core/bytes.js'
import { encodeKeyAuthorization } from '../../core/registration/keyAuthorization.js'
import { ApiError, ClientError } from '../errors.js'
import { accountOfAddress, walletSign, type Cip8Wallet } from '../signers/Cip8Wallet.js'
import type { BaseClient } from '../transport.js'
import type { Receipt, RequestOptions } from '../types.js'
import { getAccount } from './getAccount.js'
import { parseReceipt } from './parseReceipt.js'

/** Parameters of {@link register} and {@link rotateKey}. */
export interface KeyAuthorizationParams extends RequestOptions {
  /** The CIP-8 signer: a CIP-30 wallet API, or `privateKeyWallet(bech32)` in Node. */
  readonly wallet: Cip8Wallet
  /** The wallet address to sign with (hex, as CIP-30 returns it); its payment key hash is the account. */
  readonly address: string
  /** The layer-2 public key to authorize (32 bytes): `signer.publicKey` of an `L2Signer`. */
  readonly l2Key: Uint8Array
}

/** What a registration or rotation returns: the receipt, and the account it was for. */
export interface KeyAuthorizationResult extends Receipt {
  /** The account, hex. */
  readonly account: string
}

async function authorize(client: BaseClient, kind: 'register' | 'rotate', epoch: number, params: KeyAuthorizationParams): Promise<KeyAuthorizationResult> {
  if (params.l2Key.length !== 32) throw new ClientError('INVALID_ARGUMENT', `the layer-2 key must be 32 bytes; got ${params.l2Key.length}`)
  const account = accountOfAddress(params.address)
  const payload = encodeKeyAuthorization({ instance: client.requireInstance(), account, l2Key: params.l2Key, terms: client.requireTerms(), epoch })
  const signed = await walletSign(params.wallet, params.address, payload)
  const r = await client.request({
    method: 'POST',
    path: `/accounts/${kind}`,
    body: { account: toHex(account), signature: toHex(signed.signature), key: toHex(signed.key) },
    ...(params.signal ? { signal: params.signal } : {}),
  })
  return { ...parseReceipt(r, `POST /accounts/${kind}`), account: toHex(account) }
}

/**
 * Registers the wallet's account with a layer-2 key: the wallet signs (CIP-8, one pop-up) a key
 * authorization naming the instance, the account, the layer-2 key and the terms of service; from then
 * on the layer-2 key signs every transaction. See `L2Signer` for where that key comes from and is kept.
 * `ALREADY_REGISTERED` (409) if the account has a key: use {@link rotateKey}.
 *
 * @example
 * const { signer, secretKey } = generateL2Signer(accountOfAddress(addressHex))
 * await client.register({ wallet: cip30Api, address: addressHex, l2Key: signer.publicKey })
 */
export function register(client: BaseClient, params: KeyAuthorizationParams): Promise<KeyAuthorizationResult> {
  return authorize(client, 'register', 0, params)
}

/** Parameters of {@link rotateKey}. */
export interface RotateKeyParams extends KeyAuthorizationParams {
  /** The account's current key epoch; default: fetched from the node. */
  readonly epoch?: number
}

/**
 * Replaces the account's layer-2 key (lost, leaked, or a new device): the wallet signs an authorization
 * for the account's current key epoch, so an old authorization cannot be replayed
 * (`STALE_AUTHORIZATION`, 409).
 *
 * @example
 * const next = generateL2Signer(account)
 * await client.rotateKey({ wallet, address: addressHex, l2Key: next.signer.publicKey })
 */
export async function rotateKey(client: BaseClient, params: RotateKeyParams): Promise<KeyAuthorizationResult> {
  let epoch = params.epoch
  if (epoch === undefined) {
    try {
      epoch = (await getAccount(client, { account: accountOfAddress(params.address), ...(params.signal ? { signal: params.signal } : {}) })).keyEpoch
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_FOUND') throw new ClientError('INVALID_ARGUMENT', 'the account does not exist: register it first', { cause: e })
      throw e
    }
  }
  return authorize(client, 'rotate', epoch, params)
}
