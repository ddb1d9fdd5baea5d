import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { applyDoubleCborEncoding, validatorToScriptHash } from '@lucid-evolution/lucid'
import { blueprintText, sourcesHash } from '../build.js'
import { readSources, SRC_DIR } from '../lib.js'

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
const read = (f: string) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as { preamble: { sourcesHash: string }; validators: { title: string; compiledCode: string; hash: string }[] }

// The release build's optimizer takes minutes on a loaded machine, so the release blueprint is checked
// against the hash of its sources (recorded when it was built); LAGOON_BLUEPRINT_FULL=1 recompiles it too.
describe('the committed blueprint', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'lagoon-blueprint-'))
  afterAll(() => rmSync(tmp, { recursive: true, force: true }))

  it('plutus.json and plutus.debug.json record the hash of the current sources (run npm run build:onchain)', () => {
    const now = sourcesHash()
    expect(read('plutus.json').preamble.sourcesHash, 'plutus.json is stale: npm run build:onchain').toBe(now)
    expect(read('plutus.debug.json').preamble.sourcesHash, 'plutus.debug.json is stale: npm run build:onchain').toBe(now)
  })
  it('the sources hash changes when any source changes (a one-character edit of a copy)', () => {
    for (const f of readdirSync(SRC_DIR).filter((x) => x.endsWith('.hl'))) writeFileSync(join(tmp, f), readFileSync(join(SRC_DIR, f), 'utf8'))
    const copy = readSources(tmp)
    expect(sourcesHash(copy)).toBe(sourcesHash())
    const anchor = copy.get('anchor.hl')!
    copy.set('anchor.hl', anchor.replace('out_lovelace >= amount', 'out_lovelace >= amount - 1'))
    expect(copy.get('anchor.hl')).not.toBe(anchor)
    expect(sourcesHash(copy)).not.toBe(sourcesHash())
  })
  it('each validator hash is the hash of its compiled code', () => {
    for (const f of ['plutus.json', 'plutus.debug.json']) {
      for (const v of read(f).validators) expect(validatorToScriptHash({ type: 'PlutusV2', script: applyDoubleCborEncoding(v.compiledCode) }), `${f} ${v.title}`).toBe(v.hash)
    }
  })
  it('plutus.debug.json is byte for byte what the sources compile to', () => {
    expect(readFileSync(join(DIR, 'plutus.debug.json'), 'utf8')).toBe(blueprintText(false))
  }, 300_000)
  it.runIf(process.env.LAGOON_BLUEPRINT_FULL === '1')('plutus.json is byte for byte what the sources compile to (LAGOON_BLUEPRINT_FULL=1)', () => {
    expect(readFileSync(join(DIR, 'plutus.json'), 'utf8')).toBe(blueprintText(true))
  }, 900_000)
})
