import { Data, type LucidEvolution, type TxBuilder, type UTxO } from '@lucid-evolution/lucid'
import { toHex } from '../core/bytes.js'
import { blake2b256Reference } from '../core/crypto/blake2b256.js'
import { GENESIS_LOG_HEAD } from '../core/log/nextLogHead.js'
import { emptyHashes, TREE_DEPTH } from '../core/merkle/emptyHashes.js'
import { anchorDatumToData, depositsHash, STATE_TOKEN_REDEEMER, type AnchorDatum } from './data.js'
import { lagoonScripts, type LagoonScripts } from './scripts.js'

/** What {@link buildInitTx} needs. */
export interface InitParams {
  /** The UTxO the minting tx spends (fixes the instance: its policy id depends on it). */
  seed: UTxO
  /** The operator's payment key hash (signs commits). */
  operator: string
  /** ms without a commit after which anyone may freeze. */
  exodusTimeout: bigint
  /** POSIX ms recorded as `last_commit` of the genesis datum. */
  now: number
  /** Lovelace locked with the token; owned by no account (keeps the anchor above the min UTxO). */
  lovelace?: bigint
  debug?: boolean
}

/**
 * The genesis anchor datum: empty root, batch 0, the genesis log head.
 *
 * @example
 * genesisDatum(operatorKeyHash, 86_400_000n, Date.now()).root // empty(32)
 */
export function genesisDatum(operator: string, exodusTimeout: bigint, now: number): AnchorDatum {
  return {
    root: toHex(emptyHashes(blake2b256Reference)[TREE_DEPTH]!),
    batch: 0n,
    logHead: toHex(GENESIS_LOG_HEAD),
    logSeq: 0n,
    operator,
    lastCommit: BigInt(now),
    exodusTimeout,
    mode: 'active',
    depositsHash: depositsHash([]),
  }
}

/**
 * Mints the state token (spending `seed`) and locks it at the anchor with the genesis datum.
 * Returns the scripts of the new instance and the (uncompleted) tx builder.
 *
 * @example
 * const { scripts, tx } = buildInitTx(lucid, { seed: utxo, operator, exodusTimeout: 86_400_000n, now: Date.now() })
 * const signed = await (await tx.complete()).sign.withWallet().complete()
 */
export function buildInitTx(lucid: LucidEvolution, p: InitParams): { scripts: LagoonScripts; tx: TxBuilder; datum: AnchorDatum } {
  const scripts = lagoonScripts({ txHash: p.seed.txHash, outputIndex: p.seed.outputIndex }, lucid.config().network!, { debug: p.debug ?? false })
  const datum = genesisDatum(p.operator, p.exodusTimeout, p.now)
  const tx = lucid
    .newTx()
    .collectFrom([p.seed])
    .mintAssets({ [scripts.unit]: 1n }, STATE_TOKEN_REDEEMER)
    .attach.MintingPolicy(scripts.stateToken)
    .pay.ToContract(scripts.anchorAddress, { kind: 'inline', value: Data.to(anchorDatumToData(datum)) }, { lovelace: p.lovelace ?? 2_000_000n, [scripts.unit]: 1n })
  return { scripts, tx, datum }
}
