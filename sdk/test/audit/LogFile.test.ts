import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isLogFile, LogFile } from '../../src/audit/node/LogFile.js'
import { LogFileCorruptError } from '../../src/audit/node/LogFileCorruptError.js'
import { blake2b256Reference as hash } from '../../src/core/crypto/blake2b256.js'
import { GENESIS_LOG_HEAD, nextLogHead } from '../../src/core/log/nextLogHead.js'
import type { FetchLogPage, LogEntryBytes } from '../../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'lagoon-logfile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const instance = '11'.repeat(28)
const entries: LogEntryBytes[] = Array.from({ length: 10 }, (_, i) => ({ seq: i + 1, bytes: new Uint8Array(5 + i).fill(i), head: new Uint8Array(32).fill(100 + i) }))

/** Serves `entries` as GET /log would, counting the requests. */
function remote(calls: number[]): FetchLogPage {
  return async (from, limit) => {
    calls.push(from)
    const page = entries.slice(from - 1, from - 1 + limit)
    return { entries: page, nextFrom: from + page.length, tipSeq: entries.length }
  }
}

describe('LogFile (the audit progress file)', () => {
  it('stores what it downloads, serves it back, and asks the node only for the rest', async () => {
    const path = join(dir, 'a.log')
    const f = LogFile.open(path, instance)
    const calls: number[] = []
    const fetch = f.caching(remote(calls))
    expect((await fetch(1, 4)).entries.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    f.close()
    const g = LogFile.open(path, instance)
    expect(g.lastSeq).toBe(4)
    const calls2: number[] = []
    const fetch2 = g.caching(remote(calls2))
    const p1 = await fetch2(1, 3)
    expect(p1).toMatchObject({ tipSeq: 10, nextFrom: 4 })
    expect(p1.entries).toEqual(entries.slice(0, 3))
    expect((await fetch2(4, 3)).entries).toEqual([entries[3]])
    expect((await fetch2(5, 3)).entries).toEqual(entries.slice(4, 7))
    expect(calls2).toEqual([5]) // the tip was learned from the first page past the file, reused
    g.close()
    expect(LogFile.open(path, instance).lastSeq).toBe(7)
  })

  it('cuts a torn last record, and refuses another instance or another kind of file', () => {
    const path = join(dir, 'b.log')
    const f = LogFile.open(path, instance)
    f.append(entries.slice(0, 3))
    f.close()
    truncateSync(path, statSync(path).size - 2)
    const g = LogFile.open(path, instance)
    expect(g.lastSeq).toBe(2)
    g.append(entries.slice(2, 4))
    g.close()
    expect(LogFile.open(path, instance).lastSeq).toBe(4)
    expect(() => LogFile.open(path, '22'.repeat(28))).toThrow(/holds the log of instance 1111/)
    const other = join(dir, 'c.log')
    appendFileSync(other, 'not a log file at all, but long enough to have a header of 64 bytes........')
    expect(() => LogFile.open(other, instance)).toThrow(/is not a Lagoon log file/)
  })

  it('reads a file without writing to it: its instance and entries, a torn record left out', () => {
    const path = join(dir, 'd.log')
    const f = LogFile.open(path, instance)
    f.append(entries.slice(0, 5))
    f.close()
    truncateSync(path, statSync(path).size - 1)
    const size = statSync(path).size
    expect(isLogFile(readFileSync(path))).toBe(true)
    expect(LogFile.read(path)).toEqual({ instance, entries: entries.slice(0, 4) })
    expect(statSync(path).size).toBe(size)
    expect(isLogFile(new TextEncoder().encode('x'.repeat(100)))).toBe(false)
  })

  describe('with the log hash: a chain on disk', () => {
    const chained: LogEntryBytes[] = []
    for (let i = 0, head = GENESIS_LOG_HEAD; i < 6; i++) {
      const bytes = new Uint8Array(20 + i).fill(i + 1)
      head = nextLogHead(hash, head, i + 1, bytes)
      chained.push({ seq: i + 1, bytes, head })
    }
    const REC = 44
    const offsetOf = (seq: number) => 64 + chained.slice(0, seq - 1).reduce((n, e) => n + REC + e.bytes.length, 0)
    function written(name: string): string {
      const path = join(dir, name)
      const f = LogFile.open(path, instance, { hash })
      f.append(chained)
      f.close()
      return path
    }
    const damage = (path: string, at: number, xor = 0x01) => {
      const b = readFileSync(path)
      b[at]! ^= xor
      writeFileSync(path, b)
    }

    it('reopens an intact chain, and reports a damaged record as the local file’s fault (CORRUPT_LOG_FILE), not cut off', () => {
      const path = written('chain.log')
      expect(LogFile.open(path, instance, { hash }).lastSeq).toBe(6)
      const size = statSync(path).size
      damage(path, offsetOf(3) + REC + 5) // a task byte of seq 3
      const e = (() => {
        try {
          LogFile.open(path, instance, { hash })
        } catch (err) {
          return err
        }
      })()
      expect(e).toBeInstanceOf(LogFileCorruptError)
      expect(e).toMatchObject({ code: 'CORRUPT_LOG_FILE', seq: 3, offset: offsetOf(3), path })
      expect((e as Error).message).toMatch(/is damaged at seq 3 .*not what the node serves: delete it/)
      expect(() => LogFile.read(path, { hash })).toThrow(LogFileCorruptError)
      expect(statSync(path).size).toBe(size) // nothing was thrown away
    })

    it('catches a damaged head of the last record, and a damaged seq field even without the hash', () => {
      const head = written('head.log')
      damage(head, offsetOf(6) + 12 + 31)
      expect(() => LogFile.open(head, instance, { hash })).toThrow(/damaged at seq 6/)
      const seq = written('seq.log')
      damage(seq, offsetOf(4) + 4 + 7, 0x40)
      expect(() => LogFile.open(seq, instance)).toThrow(/damaged at seq 4 .*carries seq/)
    })

    it('still cuts a torn or zero-filled tail (a crash mid-write), and stores only entries that chain', () => {
      const torn = written('torn.log')
      truncateSync(torn, statSync(torn).size - 3)
      expect(LogFile.open(torn, instance, { hash }).lastSeq).toBe(5)
      const zeros = written('zeros.log')
      appendFileSync(zeros, new Uint8Array(100))
      const z = LogFile.open(zeros, instance, { hash })
      expect(z.lastSeq).toBe(6)
      z.close()
      expect(statSync(zeros).size).toBe(offsetOf(7))
      const path = join(dir, 'partial.log')
      const f = LogFile.open(path, instance, { hash })
      const bad = chained.map((e) => (e.seq === 4 ? { ...e, head: new Uint8Array(32).fill(9) } : e))
      f.append(bad)
      expect(f.lastSeq).toBe(3) // a node serving a broken chain: the audit says so; the file keeps the good part
      f.close()
      expect(LogFile.open(path, instance, { hash }).lastSeq).toBe(3)
    })
  })
})
