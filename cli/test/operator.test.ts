import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { COMMANDS } from '../src/commands/index.js'
import { runCli } from '../src/runCli.js'
import { run as runIn, sink } from './cliSupport.js'

const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => runIn(argv, { env })

const dir = mkdtempSync(join(tmpdir(), 'lagoon-cli-op-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('lagoon (operator commands)', () => {
  it('lists the commands, and a usage error exits 2 with a hint', async () => {
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/sequencer\s+run the operator's node/)
    const unknown = await run(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/error: unknown command "frobnicate"\n\s+run "lagoon --help"/)
    const badOption = await run(['token', 'list', '--nope'])
    expect(badOption.code).toBe(2)
    expect(badOption.stderr).toMatch(/--nope/)
  })

  it('the command index matches each command module (name and summary)', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load()
      expect({ name: command.name, summary: command.summary }).toEqual({ name: entry.name, summary: entry.summary })
    }
  })

  it('token create, list and revoke on the node database, in human and JSON form', async () => {
    const env = { LAGOON_DB: join(dir, 'tokens.db') }
    const created = await run(['token', 'create', '--scope', 'relay', '--label', 'relay-1', '--json'], env)
    expect(created.code).toBe(0)
    const { id, token, scope } = JSON.parse(created.stdout) as { id: string; token: string; scope: string }
    expect(scope).toBe('relay')
    expect(token.length).toBeGreaterThan(20)
    const listed = JSON.parse((await run(['token', 'list', '--json'], env)).stdout) as { id: string; label: string; revokedAt: unknown }[]
    expect(listed).toEqual([expect.objectContaining({ id, label: 'relay-1', revokedAt: null })])
    expect(listed[0]).not.toHaveProperty('token')
    const revoked = await run(['token', 'revoke', id], env)
    expect(revoked).toMatchObject({ code: 0, stdout: `token ${id} revoked\n` })
    const again = await run(['token', 'revoke', id, '--json'], env)
    expect(again.code).toBe(1)
    expect(JSON.parse(again.stdout)).toEqual({ error: { code: 'TOKEN_NOT_FOUND', message: `no active token ${id}`, hint: 'see "lagoon token list"' } })
    const badScope = await run(['token', 'create', '--scope', 'root'], env)
    expect(badScope.code).toBe(2)
    expect(badScope.stderr).toMatch(/--scope must be one of admin, relay, wallet/)
    expect((await run(['token', 'list'], {})).stderr).toMatch(/no node database given\n\s+set LAGOON_DB/)
  })

  it('sequencer start serves the API until aborted, then stops cleanly; a bad config names every problem', async () => {
    const config = join(dir, 'node.json')
    writeFileSync(config, JSON.stringify({ db: join(dir, 'node.db'), port: 0, instance: '11'.repeat(28), operator: '22'.repeat(28), terms: '33'.repeat(32) }))
    const ctl = new AbortController()
    const stdout = sink()
    const running = runCli(['sequencer', 'start', '--config', config], { stdout, stderr: sink(), env: {}, signal: ctl.signal })
    let url: string | undefined
    for (let i = 0; i < 200 && !url; i++) {
      await new Promise((r) => setTimeout(r, 50))
      url = /"url":"([^"]+)"/.exec(stdout.text())?.[1]
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const health = (await (await fetch(`${url}/health`)).json()) as { status: string }
    expect(health.status).toBe('ok')
    ctl.abort(new Error('SIGINT'))
    expect(await running).toBe(0)
    expect(stdout.text()).toMatch(/"msg":"stopped"/)
    await expect(fetch(`${url}/health`)).rejects.toThrow()

    writeFileSync(config, JSON.stringify({ port: 'eighty' }))
    const bad = await run(['sequencer', 'start', '--config', config])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/port/)
    expect(bad.stderr).toMatch(/db/)
    expect((await run(['sequencer', 'stop'])).code).toBe(2)
  })
})
