/**
 * The real `lagoon` executable (node_modules/.bin/lagoon, through tsx): `--help` of a user command and
 * the exit codes of a usage error and of an unreachable node.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const BIN = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'lagoon')
const home = mkdtempSync(join(tmpdir(), 'lagoon-bin-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

function lagoon(...args: string[]) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 110_000, env: { PATH: process.env.PATH, HOME: home, LAGOON_HOME: home } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

// Each test spawns one process: tsx compiles and loads every command (≈ 4 s of CPU), far more on a loaded machine.
describe('the lagoon binary', { timeout: 120_000 }, () => {
  it('prints the help of a user command and exits 0', () => {
    const r = lagoon('deposit', '--help')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^usage: lagoon deposit AMOUNT --wallet FILE --l1 URL/)
    expect(r.stdout).toContain('--refund-after D')
  })

  it('exits 2 on a usage error, with a hint on stderr', () => {
    const usage = lagoon('pay', 'not-an-account', '1')
    expect(usage.code).toBe(2)
    expect(usage.stderr).toMatch(/^error: "not-an-account" is not an account id\n  usage: lagoon pay TO AMOUNT/)
  })

  it('exits 1 when the node is unreachable, with the hint in the JSON error', () => {
    const down = lagoon('status', 'ab'.repeat(28), '--node', 'http://127.0.0.1:9', '--json')
    expect(down.code).toBe(1)
    expect(JSON.parse(down.stdout)).toMatchObject({ error: { code: 'NODE_UNREACHABLE', hint: expect.stringContaining('LAGOON_NODE') } })
  })
})
