import { getAddressDetails } from '@lucid-evolution/lucid'
import { toHex, type ProtocolParams } from '../core.js'
import { NodeError } from '../errors/NodeError.js'
import type { L1Node } from '../l1/L1Node.js'

/** `GET /instance`: what the SDK and the CLI need to talk to this instance on layer 1 (hex strings). */
export interface InstanceInfo {
  /** The state token's policy id: the instance id signed into every layer-2 tx. */
  readonly instance: string
  /** `txHash#index`: the out-ref the state token's policy is parameterized by. */
  readonly seed: string
  /** Lucid's network name: Mainnet, Preprod, Preview or Custom (a devnet). */
  readonly network: string
  readonly anchorAddress: string
  readonly depositAddress: string
  /** policy id + asset name of the state token. */
  readonly stateTokenUnit: string
  /** The layer-1 payment key hash that signs commitments. */
  readonly operatorKeyHash: string
  /** The layer-2 account that collects fees. */
  readonly operatorAccount: string
  /** ms without a commitment after which anyone may freeze the anchor. */
  readonly exodusTimeoutMs: number | null
  /** Layer-1 confirmations before a deposit is credited (k). */
  readonly confirmations: number
  /** The terms-of-service hash a registration signs. */
  readonly terms: string
}

const fixed = new WeakMap<L1Node, Promise<{ operatorKeyHash: string; exodusTimeoutMs: number | null }>>()

async function readAnchorParams(l1: L1Node): Promise<{ operatorKeyHash: string; exodusTimeoutMs: number | null }> {
  const cur = await l1.follower.currentAnchor()
  if (cur) {
    const d = cur.datum
    return { operatorKeyHash: d.operator, exodusTimeoutMs: Number(d.exodusTimeout) }
  }
  // No anchor output visible (spent in a block not yet seen): the operator wallet's key, the timeout unknown.
  return { operatorKeyHash: getAddressDetails(await l1.chain.lucid.wallet().address()).paymentCredential!.hash, exodusTimeoutMs: null }
}

/**
 * The instance's layer-1 settings. The operator key and the exodus timeout are fixed in the anchor's
 * datum: read once from the chain and cached.
 *
 * @example
 * const info = await instanceInfo(node.l1, node.params) // throws NO_L1 without a layer 1
 */
export async function instanceInfo(l1: L1Node | null | undefined, params: ProtocolParams): Promise<InstanceInfo> {
  if (!l1) throw new NodeError('NO_L1', 'this node has no layer 1 configured: it has no instance on a chain')
  let p = fixed.get(l1)
  if (!p) {
    p = readAnchorParams(l1)
    fixed.set(l1, p)
    p.catch(() => fixed.delete(l1))
  }
  const { operatorKeyHash, exodusTimeoutMs } = await p
  const s = l1.scripts
  return {
    instance: s.policyId,
    seed: `${s.seed.txHash}#${s.seed.outputIndex}`,
    network: l1.chain.network,
    anchorAddress: s.anchorAddress,
    depositAddress: s.depositAddress,
    stateTokenUnit: s.unit,
    operatorKeyHash,
    operatorAccount: toHex(params.operator),
    exodusTimeoutMs,
    confirmations: l1.settings.confirmations,
    terms: toHex(params.terms),
  }
}
