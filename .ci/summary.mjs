// Prints vitest's JSON report as the plain closing line CI reads: "tests: N passed, N failed[, N skipped]".
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? '.vitest-results.json'
let r
try {
  r = JSON.parse(readFileSync(file, 'utf8'))
} catch (e) {
  console.error(`no test report at ${file}: ${e.message}`)
  process.exit(1)
}
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`)
if (r.numTotalTests === 0) {
  console.error('no test ran')
  process.exit(1)
}
