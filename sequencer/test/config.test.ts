import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/node/NodeConfig.js'

const valid = { LAGOON_DB: '/tmp/x.sqlite', LAGOON_INSTANCE: '11'.repeat(28), LAGOON_OPERATOR: '22'.repeat(28), LAGOON_TERMS: '33'.repeat(32) }
const problemsOf = (f: () => unknown): string[] => {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError)
    return (e as ConfigError).problems
  }
  throw new Error('expected a ConfigError')
}

const dirs: string[] = []
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'lagoon-config-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('node configuration', () => {
  it('merges defaults, the file and the environment (environment wins)', () => {
    const dir = tempDir()
    const file = join(dir, 'lagoon.json')
    writeFileSync(file, JSON.stringify({ port: 9000, open: true, db: '/tmp/file.sqlite', instance: '11'.repeat(28), operator: '22'.repeat(28), terms: '33'.repeat(32) }))
    const c = loadConfig(file, { LAGOON_PORT: '9100', LAGOON_L1_CONFIRMATIONS: '7' })
    expect(c.port).toBe(9100)
    expect(c.open).toBe(true)
    expect(c.host).toBe('127.0.0.1')
    expect(c.db).toBe('/tmp/file.sqlite')
    expect(c.l1?.confirmations).toBe(7)
    expect(loadConfig(undefined, valid).durability).toBe('full')
    expect(loadConfig(undefined, { ...valid, LAGOON_VERIFY_NICE: '0' }).verifyNice).toBe(0)
    expect(problemsOf(() => loadConfig(undefined, { ...valid, LAGOON_VERIFY_NICE: '20' })).join('\n')).toMatch(/verifyNice/)
  })

  it('lists every problem at once, naming the field or variable', () => {
    const problems = problemsOf(() => loadConfig(undefined, { LAGOON_PORT: 'eighty', LAGOON_OPEN: 'maybe', LAGOON_L1_CONFIRMATIONS: '-1' }))
    expect(problems.join('\n')).toMatch(/LAGOON_PORT: must be an integer/)
    expect(problems.join('\n')).toMatch(/LAGOON_OPEN: must be true or false/)
    expect(problems.join('\n')).toMatch(/LAGOON_L1_CONFIRMATIONS: must be an integer/)
    for (const field of ['db', 'instance', 'operator', 'terms']) expect(problems.join('\n')).toContain(field)
  })

  it('takes the stream bounds from the file, checked', () => {
    const dir = tempDir()
    const file = join(dir, 'streams.json')
    writeFileSync(file, JSON.stringify({ streams: { maxClients: 50, maxLogClients: 5, maxClientBytes: 65536 } }))
    expect(loadConfig(file, valid).streams).toEqual({ maxClients: 50, maxLogClients: 5, maxClientBytes: 65536 })
    writeFileSync(file, JSON.stringify({ streams: { maxClients: -1, maxClientBytes: 10, backlog: 3 } }))
    const problems = problemsOf(() => loadConfig(file, valid)).join('\n')
    expect(problems).toMatch(/config\.streams\.maxClients/)
    expect(problems).toMatch(/config\.streams\.maxClientBytes/)
    expect(problems).toMatch(/backlog/)
  })

  it('says when the file cannot be read or is not JSON', () => {
    const dir = tempDir()
    expect(problemsOf(() => loadConfig(join(dir, 'missing.json'), valid))[0]).toMatch(/cannot read/)
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{ port: 1')
    expect(problemsOf(() => loadConfig(bad, valid))[0]).toMatch(/not JSON/)
  })

  it('requires the layer-1 settings of the blockfrost backend', () => {
    const problems = problemsOf(() => loadConfig(undefined, { ...valid, LAGOON_L1_BACKEND: 'blockfrost' }))
    expect(problems.join('\n')).toMatch(/l1\.url: required/)
    expect(problems.join('\n')).toMatch(/l1\.operatorKey/)
  })
})
