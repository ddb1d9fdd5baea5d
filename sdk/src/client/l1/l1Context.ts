import { getAddressDetails, slotToUnixTime, unixTimeToSlot, type LucidEvolution, type UTxO } from '@lucid-evolution/lucid'
import { anchorDatumFromData, lagoonScripts, type AnchorDatum, type LagoonScripts } from '../../l1/index.js'
import { getInstance, type InstanceInfo } from '../actions/getInstance.js'
import type { BaseClient } from '../transport.js'
import { LayerOneError } from './LayerOneError.js'

/** What every layer-1 action takes besides its own fields. */
export interface L1Options {
  /** A Lucid Evolution instance on the instance's network; its selected wallet pays fees and signs. */
  readonly lucid: LucidEvolution
  /**
   * The instance's settings; default: `GET /instance` from the node (cached per client). Pass a saved
   * copy to act while the node is down (freeze, exodus withdraw).
   */
  readonly instanceInfo?: InstanceInfo
  readonly signal?: AbortSignal
}

/** The resolved layer-1 view of an instance. */
export interface L1Context {
  readonly info: InstanceInfo
  readonly scripts: LagoonScripts
}

// By node URL: the client object and its transport share it.
const infoCache = new Map<string, InstanceInfo>()
const scriptsCache = new Map<string, LagoonScripts>()

/**
 * The instance's settings and its scripts, derived from the seed with this SDK's blueprint and checked
 * against what the node announced (`INSTANCE_MISMATCH` otherwise).
 *
 * @example
 * const { scripts, info } = await l1Context(client, { lucid })
 */
export async function l1Context(client: BaseClient, opts: Pick<L1Options, 'instanceInfo' | 'signal'>): Promise<L1Context> {
  let info = opts.instanceInfo ?? infoCache.get(client.url)
  if (!info) {
    info = await getInstance(client, opts.signal ? { signal: opts.signal } : {})
    infoCache.set(client.url, info)
  }
  const key = `${info.seed.txHash}#${info.seed.outputIndex}/${info.network}`
  let scripts = scriptsCache.get(key)
  if (!scripts) {
    scripts = lagoonScripts(info.seed, info.network)
    scriptsCache.set(key, scripts)
  }
  const differs = [
    ['instance', scripts.policyId, info.instance],
    ['anchorAddress', scripts.anchorAddress, info.anchorAddress],
    ['depositAddress', scripts.depositAddress, info.depositAddress],
    ['stateTokenUnit', scripts.unit, info.stateTokenUnit],
  ].filter(([, a, b]) => a !== b)
  if (differs.length > 0) {
    throw new LayerOneError(
      'INSTANCE_MISMATCH',
      `the instance's ${differs.map(([k]) => k).join(', ')} differ from what this SDK derives from its seed: the node runs other validators than this SDK's blueprint (upgrade one of them), or it is not telling the truth`,
      { details: Object.fromEntries(differs.map(([k, derived, announced]) => [k!, { derived, announced }])) },
    )
  }
  return { info, scripts }
}

/**
 * Remembers an instance's settings for the node at `client.url` (so layer-1 actions work while the
 * node is down, or before it publishes `GET /instance`).
 *
 * @example
 * rememberInstance(client, savedInfo)
 */
export function rememberInstance(client: BaseClient, info: InstanceInfo): void {
  infoCache.set(client.url, info)
}

/**
 * The chain's clock as a validator sees it, POSIX ms at the start of its slot: the provider's own
 * clock when it has one (`now()`: Lucid's Emulator, the strict devnet, a provider wrapper that follows
 * a devnet's tip), else the wall clock.
 *
 * @example
 * const now = chainNow(lucid)
 */
export function chainNow(lucid: LucidEvolution): number {
  const network = lucid.config().network!
  const provider = lucid.config().provider as { now?: () => number } | undefined
  const now = typeof provider?.now === 'function' ? provider.now() : Date.now()
  return slotToUnixTime(network, unixTimeToSlot(network, now))
}

/** The anchor output and its decoded datum. */
export interface AnchorState {
  readonly utxo: UTxO
  readonly datum: AnchorDatum
}

/**
 * The anchor: the one output at the anchor address holding the state token, and its datum, read from
 * layer 1 through Lucid's provider (never from the node). `ANCHOR_NOT_FOUND` when there is none.
 *
 * @example
 * const { datum } = await readAnchor(lucid, scripts)
 * datum.root // the last committed state root, hex
 */
export async function readAnchor(lucid: LucidEvolution, scripts: LagoonScripts): Promise<AnchorState> {
  const utxos = (await lucid.utxosAt(scripts.anchorAddress)).filter((u) => (u.assets[scripts.unit] ?? 0n) === 1n)
  if (utxos.length !== 1) {
    throw new LayerOneError('ANCHOR_NOT_FOUND', `no anchor output holding the state token at ${scripts.anchorAddress} (is Lucid on the instance's network?)`, {
      details: { anchorAddress: scripts.anchorAddress, found: utxos.length },
    })
  }
  const utxo = utxos[0]!
  return { utxo, datum: anchorDatumFromData(utxo.datum!) }
}

/**
 * The payment key hash of Lucid's selected wallet: the account it owns.
 *
 * @example
 * const account = await walletAccount(lucid)
 */
export async function walletAccount(lucid: LucidEvolution): Promise<string> {
  const address = await lucid.wallet().address()
  const pkh = getAddressDetails(address).paymentCredential
  if (!pkh || pkh.type !== 'Key') throw new LayerOneError('NOT_OWNER', `the wallet's address ${address} has no payment key: it cannot own a Lagoon account`)
  return pkh.hash
}

/**
 * Completes (local script evaluation on), signs with Lucid's wallet and submits a layer-1 tx; wraps a
 * refusal in `LayerOneError('L1_TX_FAILED')` with the chain's reason.
 *
 * @example
 * const txHash = await completeAndSubmit(lucid.newTx().pay.ToAddress(addr, { lovelace: 5_000_000n }), 'payment')
 */
export async function completeAndSubmit(
  tx: { complete: () => Promise<{ sign: { withWallet: () => { complete: () => Promise<{ submit: () => Promise<string>; toCBOR: () => string }> } } }> },
  what: string,
): Promise<{ txHash: string; cbor: string }> {
  try {
    const signed = await (await tx.complete()).sign.withWallet().complete()
    const txHash = await signed.submit()
    return { txHash, cbor: signed.toCBOR() }
  } catch (e) {
    const reason = e instanceof Error ? e.message : typeof e === 'object' ? JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : String(e)
    throw new LayerOneError('L1_TX_FAILED', `the ${what} transaction was refused: ${reason.slice(0, 1500)}`, { cause: e })
  }
}
