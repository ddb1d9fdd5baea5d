import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isLogFile, LogFile } from '../../src/audit/node/LogFile.js'
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
})
