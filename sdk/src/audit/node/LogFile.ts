import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs'
import type { LogEntryBytes, LogPage } from '../../client/types.js'
import { bytesEqual } from '../../core/cbor/canonical.js'
import type { Blake2b256 } from '../../core/crypto/blake2b256.js'
import { GENESIS_LOG_HEAD, nextLogHead } from '../../core/log/nextLogHead.js'
import { LagoonError } from '../../errors/LagoonError.js'
import type { FetchLogPage } from '../types.js'
import { LogFileCorruptError } from './LogFileCorruptError.js'

const MAGIC = 'LAGOONLOG1'
// The header: magic at 0, the instance id (28 bytes) at 16, zero padding to 64.
const HEADER = 64
const REC = 4 + 8 + 32 // length, seq, head; then the bytes

/**
 * A local copy of a node's task log, append-only in one file: what makes `lagoon audit` resumable.
 * Entries are stored as downloaded (untrusted: the auditor checks them like any page, every run);
 * a torn last record (a crash mid-write) is cut off when the file is opened. The file names its
 * instance, so a copy of another instance's log is refused.
 *
 * Given the log's `hash`, the file holds a hash chain: `append` stores an entry only if its head is
 * `H(previous head ‖ seq ‖ bytes)` (a node serving a broken chain is caught by the audit, and never
 * stored), and `open` re-checks the chain, so a record damaged on this machine is reported as such
 * (`LogFileCorruptError`, `CORRUPT_LOG_FILE`), never as something the node served.
 *
 * @example
 * const file = LogFile.open('audit.log', instanceHex, { hash })
 * const fetchPage = file.caching(remoteFetchPage) // serves what it has, downloads and appends the rest
 * file.close()
 */
export class LogFile {
  private readonly entries: LogEntryBytes[] = []

  private constructor(
    private readonly fd: number,
    private size: number,
    private readonly hash: Blake2b256 | undefined,
  ) {}

  /**
   * Opens (or creates) `path` for `instance` (28-byte hex). With `hash` (the log's BLAKE2b-256) the
   * stored chain is checked (`LogFileCorruptError` when a record is damaged) and kept whole by `append`.
   */
  static open(path: string, instance: string, opts: { readonly hash?: Blake2b256 } = {}): LogFile {
    const fresh = !existsSync(path)
    const fd = openSync(path, fresh ? 'w+' : 'r+')
    const header = Buffer.alloc(HEADER)
    header.write(MAGIC, 0, 'latin1')
    Buffer.from(instance, 'hex').copy(header, 16)
    if (fresh || fstatSync(fd).size === 0) {
      writeSync(fd, header, 0, HEADER, 0)
      return new LogFile(fd, HEADER, opts.hash)
    }
    const data = readFileSync(path)
    let parsed: ReturnType<typeof parseLogFile>
    try {
      parsed = parseLogFile(data, path, opts.hash)
    } catch (e) {
      closeSync(fd)
      throw e
    }
    if (parsed.instance !== header.subarray(16, 44).toString('hex')) {
      closeSync(fd)
      throw new LagoonError('BAD_PROGRESS_FILE', `${path} holds the log of instance ${parsed.instance}, not ${instance}`, { details: { path } })
    }
    const file = new LogFile(fd, HEADER, opts.hash)
    for (const e of parsed.entries) file.entries.push(e)
    const off = parsed.end
    if (off < data.length) ftruncateSync(fd, off)
    file.size = off
    return file
  }

  /**
   * Reads a log file without opening it for writing: its instance and entries (a torn last record is
   * left out; with `hash`, a damaged record throws `LogFileCorruptError`). What `lagoon exodus --log`
   * replays when the node is gone.
   *
   * @example
   * const { instance, entries } = LogFile.read('audit.log')
   */
  static read(path: string, opts: { readonly hash?: Blake2b256 } = {}): { instance: string; entries: LogEntryBytes[] } {
    const { instance, entries } = parseLogFile(readFileSync(path), path, opts.hash)
    return { instance, entries }
  }

  /** The last seq stored (0: empty). */
  get lastSeq(): number {
    return this.entries.length
  }

  /**
   * Appends entries that follow the last one (others are ignored). With `hash`, only while they chain:
   * the first entry whose head is not `H(previous head ‖ seq ‖ bytes)` and everything after it are not
   * stored (the audit reports them; the file stays a valid chain).
   */
  append(entries: readonly LogEntryBytes[]): void {
    const out: Buffer[] = []
    for (const e of entries) {
      if (e.seq !== this.entries.length + 1) continue
      if (this.hash) {
        const prev = this.entries.length === 0 ? GENESIS_LOG_HEAD : this.entries[this.entries.length - 1]!.head
        if (e.head.length !== 32 || !bytesEqual(nextLogHead(this.hash, prev, e.seq, e.bytes), e.head)) break
      }
      const rec = Buffer.alloc(REC)
      rec.writeUInt32BE(e.bytes.length, 0)
      rec.writeBigUInt64BE(BigInt(e.seq), 4)
      Buffer.from(e.head.buffer, e.head.byteOffset, 32).copy(rec, 12)
      out.push(rec, Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.length))
      this.entries.push(e)
    }
    if (out.length === 0) return
    const buf = Buffer.concat(out)
    writeSync(this.fd, buf, 0, buf.length, this.size)
    this.size += buf.length
  }

  /**
   * A `FetchLogPage` that serves stored entries and fetches (and stores) the rest from `remote`.
   * The tip is asked from `remote` only when the stored copy runs out.
   */
  caching(remote: FetchLogPage): FetchLogPage {
    // The first page past the stored copy is asked at once: it tells the node's tip.
    let ahead: { from: number; page: Promise<LogPage> } | undefined
    return async (from, limit, signal) => {
      if (!ahead) {
        const at = this.entries.length + 1
        ahead = { from: at, page: remote(at, limit, signal) }
        ahead.page.catch(() => undefined)
      }
      if (from <= this.entries.length) {
        const { tipSeq } = await ahead.page
        const page = this.entries.slice(from - 1, from - 1 + limit)
        return { entries: page, nextFrom: from + page.length, tipSeq: Math.max(tipSeq, this.entries.length) } satisfies LogPage
      }
      const page = ahead.from === from ? await ahead.page : await remote(from, limit, signal)
      ahead = { from: -1, page: Promise.resolve(page) }
      this.append(page.entries)
      return page
    }
  }

  close(): void {
    closeSync(this.fd)
  }
}

/** True when `data` starts like a {@link LogFile}. */
export function isLogFile(data: Uint8Array): boolean {
  return data.length >= HEADER && Buffer.from(data.buffer, data.byteOffset, 10).toString('latin1') === MAGIC
}

function parseLogFile(data: Buffer, path: string, hash?: Blake2b256): { instance: string; entries: LogEntryBytes[]; end: number } {
  if (!isLogFile(data)) throw new LagoonError('BAD_PROGRESS_FILE', `${path} is not a Lagoon log file`, { details: { path } })
  const entries: LogEntryBytes[] = []
  let head = GENESIS_LOG_HEAD
  let off = HEADER
  while (off + REC <= data.length) {
    const len = data.readUInt32BE(off)
    const end = off + REC + len
    if (end > data.length) break // torn: the write of the last record did not finish
    const seq = Number(data.readBigUInt64BE(off + 4))
    const want = entries.length + 1
    if (seq !== want) {
      if (data.subarray(off).every((b) => b === 0)) break // a zero-filled tail (a crash after the size grew): torn
      throw new LogFileCorruptError(path, want, off, `the record there carries seq ${seq}`)
    }
    const entry = { seq, head: new Uint8Array(data.subarray(off + 12, off + 44)), bytes: new Uint8Array(data.subarray(off + REC, end)) }
    if (hash) {
      if (!bytesEqual(nextLogHead(hash, head, seq, entry.bytes), entry.head)) throw new LogFileCorruptError(path, seq, off, 'its task bytes and head no longer chain to the record before')
      head = entry.head
    }
    entries.push(entry)
    off = end
  }
  return { instance: data.subarray(16, 44).toString('hex'), entries, end: off }
}
