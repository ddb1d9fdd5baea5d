import { toHex, type Batch } from '../core.js'

/** A batch as stored: what `GET /batches` serves (the SDK's `Batch`), plus the poster's bookkeeping. */
export interface BatchRow extends Batch {
  readonly createdAt: number
  readonly confirmedAt: number | null
  readonly anchorRef: string | null
  readonly deposits: string[]
}

/** A `batches` row as SQLite returns it. */
export interface RawBatch {
  number: number
  root: Buffer
  first_seq: number
  last_seq: number
  log_head: Buffer
  l1_tx: Buffer | null
  status: BatchRow['status']
  created_at: number
  confirmed_at: number | null
  anchor_ref: string | null
  deposits: string | null
}

/** A stored row as the API's shape. @example toRow(stmt.byNumber.get(1)!) */
export const toRow = (r: RawBatch): BatchRow => ({
  number: r.number,
  root: toHex(r.root),
  firstSeq: r.first_seq,
  lastSeq: r.last_seq,
  logHead: toHex(r.log_head),
  l1Tx: r.l1_tx ? toHex(r.l1_tx) : null,
  status: r.status,
  createdAt: r.created_at,
  confirmedAt: r.confirmed_at,
  anchorRef: r.anchor_ref,
  deposits: JSON.parse(r.deposits ?? '[]') as string[],
})
