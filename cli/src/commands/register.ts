import { ApiError, generateL2Signer, privateKeyWallet, toHex } from '@lagoon/sdk'
import { CliError } from '../CliError.js'
import { existsSync } from 'node:fs'
import type { Command } from '../Command.js'
import { COMMON_HELP, KEY_OPTIONS, NODE_OPTIONS } from '../options/commonOptions.js'
import { explain } from '../options/explain.js'
import { connect, l2KeyPath, loadSigner, loadWallet, saveL2Key } from '../options/session.js'

/**
 * `lagoon register`: registers the wallet's account with a new layer-2 key (one CIP-8 signature by the
 * wallet key; the layer-2 key then signs every payment).
 *
 * @example
 * // lagoon register --wallet alice.sk --node http://127.0.0.1:8080
 */
export const registerCommand: Command = {
  name: 'register',
  summary: 'register your account: the wallet authorizes a new layer-2 key (CIP-8)',
  usage: `usage: lagoon register --wallet FILE [--l2-key FILE] [--node URL] [--token T] [--json]

Creates a layer-2 signing key, has your wallet key sign (CIP-8) an authorization naming the instance,
your account (the wallet's payment key hash), that key and the instance's terms of service, and sends
it to the node. The layer-2 key is kept in ~/.lagoon/keys/INSTANCE/ACCOUNT.l2key (mode 0600) unless
--l2-key says where; "lagoon pay" and "lagoon withdraw" sign with it, with no wallet involved.
Registering again with the same key file is harmless.

options:
${COMMON_HELP.wallet}
${COMMON_HELP.l2Key}
${COMMON_HELP.node}
${COMMON_HELP.json}

example:
  $ lagoon register --wallet alice.sk
  registered account 5e1b…c3 (seq 12)
  layer-2 key: /home/alice/.lagoon/keys/3f9a…/5e1b…c3.l2key`,
  options: { ...NODE_OPTIONS, ...KEY_OPTIONS },
  async run(ctx) {
    const { client, info, url } = await connect(ctx)
    const wallet = loadWallet(ctx, info.network)
    const path = l2KeyPath(ctx, info.instance, wallet.account)
    const signer = existsSync(path)
      ? loadSigner(ctx, info.instance, wallet.account)
      : (() => {
          const { signer: s, secretKey } = generateL2Signer(wallet.account)
          saveL2Key(path, secretKey)
          return s
        })()
    try {
      const existing = await client.getAccount({ account: wallet.account }).catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 'NOT_FOUND') return undefined
        throw e
      })
      if (existing?.l2Key !== undefined) {
        if (existing.l2Key !== toHex(signer.publicKey)) {
          throw new CliError('ALREADY_REGISTERED', `account ${wallet.account} is registered with another layer-2 key than ${path}`, 'use the key file you registered with (--l2-key FILE); to replace a lost key, rotate it (SDK: client.rotateKey)')
        }
        ctx.out.result({ account: wallet.account, l2KeyFile: path, alreadyRegistered: true }, () => `account ${wallet.account} is already registered with this key\nlayer-2 key: ${path}`)
        return 0
      }
      const r = await client.register({ wallet: privateKeyWallet(wallet.privateKey), address: wallet.addressHex, l2Key: signer.publicKey })
      ctx.out.result({ account: wallet.account, seq: r.seq, txId: r.txId, l2KeyFile: path, alreadyRegistered: false }, () => `registered account ${wallet.account} (seq ${r.seq})\nlayer-2 key: ${path}`)
      return 0
    } catch (e) {
      throw explain(e, { node: url, account: wallet.account })
    }
  },
}
