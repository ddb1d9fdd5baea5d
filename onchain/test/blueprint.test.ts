import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { blueprintText } from '../build.js'

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..')

describe('the committed blueprint', () => {
  it('plutus.json is fresh against the sources (run npm run build:onchain)', () => {
    expect(readFileSync(join(DIR, 'plutus.json'), 'utf8')).toBe(blueprintText(true))
  }, 120_000)
  it('plutus.debug.json is fresh against the sources', () => {
    expect(readFileSync(join(DIR, 'plutus.debug.json'), 'utf8')).toBe(blueprintText(false))
  }, 120_000)
})
