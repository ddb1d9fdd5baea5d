/**
 * `npm run reliability:crash -- --trials 50`: kill -9 a node under load, restart, check (see
 * crashTrials.ts), then the layer-1 crash trials (a kill during a commitment and during an exit
 * payment, each crash point in turn; see l1CrashTrial.ts). Exit code 1 on any problem.
 *
 * Options: --trials N (default 50: kills of the child process), --l1-trials N (default 16: two rounds
 * of the 8 layer-1 crash points), --users N (signers under load, default 16), --seed N.
 *
 * @example
 * // npm run reliability:crash -- --trials 50 --l1-trials 16
 */
import { parseArgs } from 'node:util'
import { cpus, totalmem } from 'node:os'
import { runCrashTrials } from './crashTrials.js'
import { L1_CRASH_POINTS, runL1CrashTrial } from './l1CrashTrial.js'

const { values } = parseArgs({ options: { trials: { type: 'string' }, 'l1-trials': { type: 'string' }, users: { type: 'string' }, seed: { type: 'string' } } })
const trials = Number(values.trials ?? 50)
const l1Trials = Number(values['l1-trials'] ?? 16)
console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`)
console.log(`\n1. kill -9 of the node process under load: ${trials} trials`)
console.log('trial  killAfterMs  acked  lost  dup  root  seq      unackedApplied  restartMs')
const run = await runCrashTrials({
  trials,
  ...(values.users ? { users: Number(values.users) } : {}),
  ...(values.seed ? { seed: Number(values.seed) } : {}),
  onTrial: (t) =>
    console.log(
      `${String(t.trial).padStart(5)}  ${String(t.killAfterMs).padStart(11)}  ${String(t.acked).padStart(5)}  ${String(t.lost).padStart(4)}  ${String(t.duplicates).padStart(3)}  ${t.rootMatches ? ' ok ' : 'DIFF'}  ${String(t.seq).padStart(7)}  ${String(t.unacknowledgedApplied).padStart(14)}  ${String(t.restartMs).padStart(9)}${t.problems.length ? '  ' + t.problems.join('; ') : ''}`,
    ),
})
const restart = run.trials.map((t) => t.restartMs).sort((a, b) => a - b)
console.log(
  `kills: ${run.trials.length}, acknowledged receipts: ${run.totalAcked}, lost: ${run.trials.reduce((a, t) => a + t.lost, 0)}, duplicates: ${run.trials.reduce((a, t) => a + t.duplicates, 0)}, root mismatches: ${run.trials.filter((t) => !t.rootMatches).length}, final log seq: ${run.finalSeq}, GET /log retried after a socket error: ${run.logFetchRetries}, restart median ${restart[Math.floor(restart.length / 2)]} ms`,
)

console.log(`\n2. kill during a commitment / an exit payment (chain outlives the node): ${l1Trials} trials`)
let l1ok = true
for (let i = 0; i < l1Trials; i++) {
  const point = L1_CRASH_POINTS[i % L1_CRASH_POINTS.length]!
  const r = await runL1CrashTrial(point, { seed: i + 1, extraBlocks: i % 3 })
  l1ok &&= r.ok
  console.log(`${String(i + 1).padStart(3)}  ${point.padEnd(22)} ${r.ok ? 'ok  ' : 'FAIL'}  commits ${r.commits}  exits paid ${r.exitsPaid}  ${r.ms} ms${r.problems.length ? '  ' + r.problems.join('; ') : ''}`)
}
const ok = run.ok && l1ok
console.log(`\n${ok ? 'PASS' : 'FAIL'}`)
process.exit(ok ? 0 : 1)
