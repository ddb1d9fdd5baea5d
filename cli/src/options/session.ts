import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createLagoonClient, fromHex, l2Signer, NetworkError, parseInstanceInfo, toHex, type InstanceInfo, type L2Signer, type LagoonClient } from '@lagoon/sdk'
import { connectLucid, privateKeyOf, rememberInstance, walletIdentity } from '@lagoon/sdk/layer1'
import type { LucidEvolution } from '@lucid-evolution/lucid'
import { CliError } from '../CliError.js'
import type { CommandContext } from '../Command.js'
import { lagoonHome, nodeOf, opt } from './commonOptions.js'
import { explain } from './explain.js'

/** A client of the node, with the instance's settings. */
export interface Connection {
  readonly client: LagoonClient
  readonly info: InstanceInfo
  readonly url: string
  /** True when the node did not answer and the settings come from the local cache. */
  readonly offline: boolean
}

type Ctx = Pick<CommandContext, 'values' | 'env'>

function cachePath(env: NodeJS.ProcessEnv, url: string): string {
  return join(lagoonHome(env), 'instances', `${url.replace(/^https?:\/\//, '').replace(/[^A-Za-z0-9.-]+/g, '_')}.json`)
}

/**
 * Connects to the node and reads its instance (`GET /instance`), caching it under LAGOON_HOME so that
 * `allowOffline` commands (freeze, exodus) still work once the node is gone.
 *
 * @example
 * const { client, info } = await connect(ctx)
 */
export async function connect(ctx: Ctx, opts: { allowOffline?: boolean } = {}): Promise<Connection> {
  const { url, token } = nodeOf(ctx)
  const bare = createLagoonClient({ url, ...(token ? { token } : {}) })
  let info: InstanceInfo
  let offline = false
  try {
    info = await bare.getInstance()
    const path = cachePath(ctx.env, url)
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, JSON.stringify({ ...info, seed: `${info.seed.txHash}#${info.seed.outputIndex}` }, null, 2))
  } catch (e) {
    const path = cachePath(ctx.env, url)
    if (opts.allowOffline && e instanceof NetworkError && existsSync(path)) {
      info = parseInstanceInfo(JSON.parse(readFileSync(path, 'utf8')), path)
      offline = true
    } else {
      throw explain(e, { node: url })
    }
  }
  const client = createLagoonClient({ url, ...(token ? { token } : {}), instance: info.instance, terms: info.terms })
  rememberInstance(client, info)
  return { client, info, url, offline }
}

/** The layer-1 wallet of a command. */
export interface WalletKey {
  readonly privateKey: string
  /** The account it owns (payment key hash, hex). */
  readonly account: string
  /** Its enterprise address, bech32 and hex (CIP-8 signs with the hex). */
  readonly address: string
  readonly addressHex: string
}

/**
 * Reads the wallet key file (`--wallet FILE` / LAGOON_WALLET): a bech32 `ed25519_sk…` key or a
 * mnemonic. `NO_WALLET` with a hint when none is given or it cannot be read.
 *
 * @example
 * const wallet = loadWallet(ctx, info.network)
 */
export function loadWallet(ctx: Ctx, network: InstanceInfo['network']): WalletKey {
  const file = opt(ctx, 'wallet', 'LAGOON_WALLET')
  if (!file) throw new CliError('NO_WALLET', 'this command needs your layer-1 wallet key', 'pass --wallet FILE (a file with a bech32 ed25519_sk… key or a mnemonic) or set LAGOON_WALLET=FILE')
  let secret: string
  try {
    secret = readFileSync(file, 'utf8')
  } catch (e) {
    throw new CliError('NO_WALLET', `cannot read the wallet file ${file}: ${(e as Error).message}`, 'check the path given to --wallet / LAGOON_WALLET')
  }
  let privateKey: string
  try {
    privateKey = privateKeyOf(secret, network)
  } catch (e) {
    throw new CliError('BAD_WALLET', `${file}: ${(e as Error).message}`, 'the file must hold one bech32 ed25519_sk… key, or a 12–24 word mnemonic')
  }
  return { privateKey, ...walletIdentity(privateKey, network) }
}

/** Where the layer-2 key of `account` on `instance` is kept: `--l2-key FILE`, LAGOON_L2_KEY, or under LAGOON_HOME. */
export function l2KeyPath(ctx: Ctx, instance: string, account: string): string {
  return opt(ctx, 'l2-key', 'LAGOON_L2_KEY') ?? join(lagoonHome(ctx.env), 'keys', instance, `${account}.l2key`)
}

/**
 * The layer-2 signer of `account`, from its key file. `NO_L2_KEY` with a hint when there is none.
 *
 * @example
 * const signer = loadSigner(ctx, info.instance, wallet.account)
 */
export function loadSigner(ctx: Ctx, instance: string, account: string): L2Signer {
  const path = l2KeyPath(ctx, instance, account)
  let hex: string
  try {
    hex = readFileSync(path, 'utf8').trim()
  } catch {
    throw new CliError('NO_L2_KEY', `no layer-2 key for account ${account} at ${path}`, 'register first ("lagoon register --wallet FILE"), or pass the key file with --l2-key FILE')
  }
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new CliError('BAD_L2_KEY', `${path} does not hold a 32-byte hex key`, 'the file holds the 64 hex characters "lagoon register" wrote')
  return l2Signer({ account, secretKey: fromHex(hex) })
}

/**
 * Writes a new layer-2 secret key (hex, mode 0600); refuses to overwrite another key.
 *
 * @example
 * saveL2Key(path, secretKey)
 */
export function saveL2Key(path: string, secretKey: Uint8Array): void {
  if (existsSync(path) && readFileSync(path, 'utf8').trim() !== toHex(secretKey)) {
    throw new CliError('L2_KEY_EXISTS', `${path} already holds another layer-2 key`, 'keep it (it is the key your account uses), or pass another path with --l2-key')
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  writeFileSync(path, `${toHex(secretKey)}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
}

/**
 * Lucid on the layer-1 API (`--l1 URL` / LAGOON_L1_URL) with the wallet selected. `NO_L1_API` with a
 * hint when no URL is given; `L1_UNREACHABLE` when it does not answer.
 *
 * @example
 * const lucid = await lucidOf(ctx, info, wallet)
 */
export async function lucidOf(ctx: Ctx, info: InstanceInfo, wallet: WalletKey): Promise<LucidEvolution> {
  const url = opt(ctx, 'l1', 'LAGOON_L1_URL')
  if (!url) throw new CliError('NO_L1_API', 'this command builds a layer-1 transaction and needs a layer-1 API', 'pass --l1 URL (Blockfrost, Yaci DevKit, or the devnet URL "npm start" prints) or set LAGOON_L1_URL')
  const projectId = opt(ctx, 'l1-project-id', 'LAGOON_L1_PROJECT_ID')
  try {
    return await connectLucid({ url, network: info.network, walletKey: wallet.privateKey, ...(projectId ? { projectId } : {}) })
  } catch (e) {
    throw new CliError('L1_UNREACHABLE', (e as Error).message, `is the layer-1 API at ${url} up? check --l1 / LAGOON_L1_URL (and --l1-project-id for Blockfrost)`)
  }
}
