/**
 * `npm run reliability:fuzz -- --requests 100000`: hostile input against a real node (see
 * fuzz/runFuzz.ts). Prints the answers by status and code, the problems found, RSS and the state
 * check; exit code 1 on any problem.
 *
 * Options: --requests N (default 100,000), --concurrency N (default 32), --seed N (default 1).
 *
 * @example
 * // npm run reliability:fuzz -- --requests 100000 --seed 2
 */
import { parseArgs } from 'node:util'
import { cpus, totalmem } from 'node:os'
import { runFuzz } from './fuzz/runFuzz.js'

const { values } = parseArgs({ options: { requests: { type: 'string' }, concurrency: { type: 'string' }, seed: { type: 'string' } } })
console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`)
const run = await runFuzz({
  requests: Number(values.requests ?? 100_000),
  concurrency: Number(values.concurrency ?? 32),
  seed: Number(values.seed ?? 1),
  onProgress: (n, mb) => console.log(`  ${n} requests, node RSS ${mb.toFixed(0)} MB`),
})
const { problems, ...summary } = run
console.log(JSON.stringify(summary, null, 2))
for (const p of problems) console.log('PROBLEM', JSON.stringify(p))
console.log(run.ok ? 'PASS' : `FAIL (${run.problemCount} problems)`)
process.exit(run.ok ? 0 : 1)
