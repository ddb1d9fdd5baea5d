/**
 * Writes the golden vectors (`test/vectors/*.json`) from the protocol core: `npm run vectors`.
 * Run it only when the protocol changes on purpose; `vectors.test.ts` then checks the new files.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildVectors } from '../test/vectors/buildVectors.js'

const dir = join(import.meta.dirname, '..', 'test', 'vectors')
for (const [name, content] of Object.entries(buildVectors())) {
  const file = join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify(content, null, 2) + '\n')
  console.log(`wrote ${file}`)
}
