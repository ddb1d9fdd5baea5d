import { LagoonError } from '../../errors/LagoonError.js'

/**
 * A local log file (`lagoon audit --resume FILE`) is damaged: a record in the middle of it does not
 * follow the one before (its seq, or its bytes and head no longer chain). The file only ever stores
 * entries that chained when they were downloaded, so this is the local copy's fault — a disk, an edit,
 * another program — not the node's: delete the file and download the log again. Code `CORRUPT_LOG_FILE`.
 *
 * @example
 * try { LogFile.open(path, instance, { hash }) } catch (e) {
 *   if (e instanceof LogFileCorruptError) console.error(`${e.path} is damaged at seq ${e.seq}: delete it and rerun`)
 * }
 */
export class LogFileCorruptError extends LagoonError {
  declare readonly code: 'CORRUPT_LOG_FILE'
  /** The file. */
  readonly path: string
  /** The seq of the first record that does not check out. */
  readonly seq: number
  /** Its byte offset in the file. */
  readonly offset: number

  constructor(path: string, seq: number, offset: number, why: string) {
    super(
      'CORRUPT_LOG_FILE',
      `the local log file ${path} is damaged at seq ${seq} (byte ${offset}): ${why}. This is the file on this machine, not what the node serves: delete it and rerun to download the log again`,
      { details: { path, seq, offset } },
    )
    this.path = path
    this.seq = seq
    this.offset = offset
  }
}
