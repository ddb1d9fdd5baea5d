import { Data } from '@lucid-evolution/lucid'
import { anchorDatumFromData, anchorRedeemerFromData, depositDatumFromData, depositsHash, type AbsorbedDeposit, type AnchorDatum } from '../../l1/data.js'
import { toHex } from '../../core/bytes.js'
import { decodeL1Tx } from './decodeL1Tx.js'
import { L1ReadError } from './blockfrostReader.js'
import type { L1Output, L1Reader } from './L1Reader.js'
import type { L1Payout } from './withdrawPaysExit.js'

/**
 * Where an instance lives on layer 1 (from `lagoonScripts(seed, network)`).
 *
 * @example
 * const instance: InstanceAddresses = lagoonScripts(seed, 'Preprod')
 */
export interface InstanceAddresses {
  readonly anchorAddress: string
  readonly depositAddress: string
  /** The state token: policy id (the instance id) + asset name. */
  readonly unit: string
}

/**
 * One anchor output in the chain of anchor outputs, and the tx that created it.
 *
 * @example
 * steps.filter((s) => s.kind === 'commit').map((s) => s.datum.root)
 */
export interface AnchorStep {
  /** How the tx that created this anchor output spent the previous one (`genesis`: minted the token). */
  readonly kind: 'genesis' | 'commit' | 'withdraw' | 'freeze' | 'exodusWithdraw'
  readonly txHash: string
  /** The anchor output's index in that tx. */
  readonly outputIndex: number
  readonly datum: AnchorDatum
  /** Lovelace locked at the anchor after this tx. */
  readonly lovelace: bigint
  /** A commit's absorbed deposits, read from the deposit outputs it spent. */
  readonly deposits?: readonly AbsorbedDeposit[]
  /** Whether `deposits` hash to the datum's `depositsHash` (the validator requires it). */
  readonly depositsHashOk?: boolean
  /** A commit's absorbed deposits that hold other assets besides lovelace (`txHash#index`); none are creditable. */
  readonly depositsWithTokens?: readonly string[]
  /** A withdrawal's exits (account hex, lovelace), from its redeemer. */
  readonly exits?: readonly { readonly account: string; readonly amount: bigint }[]
  /** A withdrawal's outputs other than the anchor: who they pay (payment key hash) and how much. */
  readonly payouts?: readonly L1Payout[]
}

/**
 * Parameters of {@link readAnchorHistory}.
 *
 * @example
 * readAnchorHistory({ l1: blockfrostReader({ url }), instance: scripts, onStep: (s) => console.log(s.kind) })
 */
export interface ReadAnchorHistoryParams {
  readonly l1: L1Reader
  readonly instance: InstanceAddresses
  /** Stop walking back at this anchor output (`txHash#index`, already read); default: the genesis. */
  readonly stopAt?: string
  /** Called for every tx read (walking back, newest first). */
  readonly onStep?: (step: AnchorStep) => void
}

const refKey = (r: { txHash: string; outputIndex: number }) => `${r.txHash}#${r.outputIndex}`

/**
 * Reads an instance's commitments from layer 1, trusting no operator: finds the current anchor output
 * (the one UTxO holding the state token), then walks back through the txs that spent each anchor
 * output to the one that minted the token, decoding every anchor datum (root, batch, log head and seq,
 * deposits hash), every redeemer (Commit, Withdraw with its exits, Freeze, ExodusWithdraw) and every
 * deposit a commit absorbed. Returns the steps oldest first (the genesis, or the step after `stopAt`,
 * first). Layer 1 itself (the reader) is trusted to show the real chain.
 *
 * @example
 * const steps = await readAnchorHistory({ l1: blockfrostReader({ url }), instance: lagoonScripts(seed, 'Preprod') })
 * const commits = steps.filter((s) => s.kind === 'commit')
 */
export async function readAnchorHistory(p: ReadAnchorHistoryParams): Promise<AnchorStep[]> {
  const { l1, instance } = p
  const holders = (await l1.utxosAt(instance.anchorAddress)).filter((u) => (u.assets[instance.unit] ?? 0n) === 1n)
  if (holders.length !== 1) throw new L1ReadError(`expected one anchor output holding ${instance.unit} at ${instance.anchorAddress}, found ${holders.length}`)
  const steps: AnchorStep[] = []
  const sourceCache = new Map<string, string>()
  let at: { txHash: string; outputIndex: number } = holders[0]!
  for (;;) {
    if (p.stopAt !== undefined && refKey(at) === p.stopAt) break
    const rec = await l1.getTx(at.txHash)
    if (!rec) throw new L1ReadError(`layer 1 does not know tx ${at.txHash}, which created anchor output ${refKey(at)}`)
    const tx = decodeL1Tx(rec.cbor, instance.unit)
    const out = tx.outputs[at.outputIndex]
    if (!out || out.unitQuantity !== 1n || out.address !== instance.anchorAddress || !out.datum) {
      throw new L1ReadError(`output ${refKey(at)} is not an anchor output with an inline datum`)
    }
    const datum = anchorDatumFromData(out.datum)
    const anchorIn = rec.inputs.find((i) => (i.assets[instance.unit] ?? 0n) === 1n)
    if (!anchorIn) {
      steps.push({ kind: 'genesis', txHash: at.txHash, outputIndex: at.outputIndex, datum, lovelace: out.lovelace })
      p.onStep?.(steps[steps.length - 1]!)
      break
    }
    const index = tx.inputs.findIndex((r) => r.txHash === anchorIn.txHash && r.outputIndex === anchorIn.outputIndex)
    const redeemerHex = tx.spendRedeemers.get(index)
    if (redeemerHex === undefined) throw new L1ReadError(`tx ${at.txHash} spends the anchor without a redeemer`)
    const redeemer = anchorRedeemerFromData(Data.from(redeemerHex))
    let step: AnchorStep = { kind: redeemer.type, txHash: at.txHash, outputIndex: at.outputIndex, datum, lovelace: out.lovelace }
    if (redeemer.type === 'commit') {
      const deposits: AbsorbedDeposit[] = []
      const depositsWithTokens: string[] = []
      for (const i of rec.inputs) {
        if (i.address !== instance.depositAddress) continue
        const d = depositDatumFromData(await datumOf(l1, i, instance.unit, sourceCache))
        deposits.push({ txHash: i.txHash, outputIndex: i.outputIndex, owner: d.owner, amount: i.assets.lovelace ?? 0n })
        if (Object.entries(i.assets).some(([unit, q]) => unit !== 'lovelace' && q > 0n)) depositsWithTokens.push(refKey(i))
      }
      step = { ...step, deposits, depositsHashOk: depositsHash(deposits) === datum.depositsHash, ...(depositsWithTokens.length > 0 ? { depositsWithTokens } : {}) }
    } else if (redeemer.type === 'withdraw' || redeemer.type === 'exodusWithdraw') {
      const payouts = tx.outputs.filter((_, i) => i !== at.outputIndex).map((o) => ({ paymentKeyHash: o.paymentKeyHash, lovelace: o.lovelace }))
      step = { ...step, exits: redeemer.exits.map((e) => ({ account: toHex(e.leaf.account), amount: e.leaf.pendingExit })), payouts }
    }
    steps.push(step)
    p.onStep?.(step)
    at = anchorIn
  }
  return steps.reverse()
}

/** A spent output's inline datum: from the reader if it has it, else from the tx that created the output. */
async function datumOf(l1: L1Reader, o: L1Output, unit: string, cache: Map<string, string>): Promise<string> {
  if (o.datum) return o.datum
  let cbor = cache.get(o.txHash)
  if (!cbor) {
    const rec = await l1.getTx(o.txHash)
    if (!rec) throw new L1ReadError(`layer 1 does not know tx ${o.txHash}, which created deposit ${refKey(o)}`)
    cbor = rec.cbor
    cache.set(o.txHash, cbor)
  }
  const d = decodeL1Tx(cbor, unit).outputs[o.outputIndex]?.datum
  if (!d) throw new L1ReadError(`deposit ${refKey(o)} has no inline datum`)
  return d
}
