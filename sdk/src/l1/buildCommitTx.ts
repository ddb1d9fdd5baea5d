import { Data, type LucidEvolution, type TxBuilder, type UTxO } from '@lucid-evolution/lucid'
import { anchorDatumFromData, anchorDatumToData, anchorRedeemerToData, depositDatumFromData, depositsHash, DepositRedeemer, type AnchorDatum } from './data.js'
import { slotStart, withAnchor, withDeposit, type ScriptRefs } from './common.js'
import type { LagoonScripts } from './scripts.js'
import { payingLedgerFee } from './exactFee.js'

/** What {@link buildCommitTx} needs. */
export interface CommitParams {
  anchor: UTxO
  /** Deposit UTxOs to absorb (their lovelace joins the anchor). */
  deposits: UTxO[]
  root: string
  logHead: string
  logSeq: bigint
  /** POSIX ms; the validity range starts at its slot, which becomes `last_commit`. */
  now: number
  refs?: ScriptRefs
}

/**
 * Posts a commitment: spends the anchor (Commit) and the absorbed deposits (Absorb), recreates the
 * anchor as output 0 with batch + 1 and the new root. The operator (datum.operator) must sign.
 *
 * @example
 * const { tx } = buildCommitTx(lucid, scripts, { anchor, deposits, root, logHead, logSeq, now: Date.now() })
 */
export function buildCommitTx(lucid: LucidEvolution, scripts: LagoonScripts, p: CommitParams): { tx: TxBuilder; datum: AnchorDatum } {
  const old = anchorDatumFromData(p.anchor.datum!)
  const lower = slotStart(lucid, p.now)
  const absorbed = p.deposits.map((u) => ({ txHash: u.txHash, outputIndex: u.outputIndex, owner: depositDatumFromData(u.datum!).owner, amount: u.assets.lovelace ?? 0n }))
  const sum = absorbed.reduce((a, d) => a + d.amount, 0n)
  const datum: AnchorDatum = { ...old, root: p.root, batch: old.batch + 1n, logHead: p.logHead, logSeq: p.logSeq, lastCommit: BigInt(lower), mode: 'active', depositsHash: depositsHash(absorbed) }
  let tx = lucid
    .newTx()
    .collectFrom([p.anchor], Data.to(anchorRedeemerToData({ type: 'commit' })))
    .pay.ToContract(scripts.anchorAddress, { kind: 'inline', value: Data.to(anchorDatumToData(datum)) }, { ...p.anchor.assets, lovelace: (p.anchor.assets.lovelace ?? 0n) + sum })
    .addSignerKey(old.operator)
    .validFrom(lower)
  tx = withAnchor(tx, scripts, p.refs)
  if (p.deposits.length > 0) tx = withDeposit(tx.collectFrom(p.deposits, DepositRedeemer.absorb), scripts, p.refs)
  return { tx: payingLedgerFee(lucid, tx, [p.refs?.anchor, p.deposits.length > 0 ? p.refs?.deposit : undefined]), datum }
}
