/**
 * `isWebStale` (web/build.ts) decides when `npm start` and the e2e test rebuild the page: when the
 * build is missing, or any file the last build read (listed in `build-inputs.json`) is newer than it.
 * Checked on a fake build in a temporary folder (a real build takes ~10 s: test/web/web.test.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { isWebStale } from '../../web/build.js'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

describe('isWebStale', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lagoon-webstale-'))
  const dist = join(dir, 'dist')
  const input = join(dir, 'input.ts')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds)
  // Far in the future, so that web/build.ts, index.html and app.css are older than the build.
  const T = Date.now() / 1000 + 10 * 365 * 86400

  function fakeBuild(inputs: string[]) {
    mkdirSync(join(dist, 'assets'), { recursive: true })
    writeFileSync(join(dist, 'assets', 'app.js'), '')
    writeFileSync(join(dist, 'build-inputs.json'), JSON.stringify(inputs.map((f) => relative(REPO, f))))
    writeFileSync(join(dist, 'index.html'), '')
    at(join(dist, 'index.html'), T)
  }

  it('is stale without a build', () => {
    expect(isWebStale(join(dir, 'nothing'))).toBe(true)
  })

  it('is fresh when every input is older than the build, stale when one is newer or gone', () => {
    writeFileSync(input, 'export {}')
    at(input, T - 60)
    fakeBuild([input])
    expect(isWebStale(dist)).toBe(false)
    at(input, T + 60)
    expect(isWebStale(dist)).toBe(true)
    at(input, T - 60)
    expect(isWebStale(dist)).toBe(false)
    rmSync(input)
    expect(isWebStale(dist)).toBe(true)
  })

  it('is stale when the list of inputs is missing or unreadable', () => {
    writeFileSync(input, 'export {}')
    at(input, T - 60)
    fakeBuild([input])
    writeFileSync(join(dist, 'build-inputs.json'), '{not json')
    expect(isWebStale(dist)).toBe(true)
    rmSync(join(dist, 'build-inputs.json'))
    expect(isWebStale(dist)).toBe(true)
  })
})
