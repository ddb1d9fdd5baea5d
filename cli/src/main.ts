/**
 * The `lagoon` executable (`cli/bin/lagoon.js` loads its build, `cli/dist/`, or this file through tsx): runs {@link runCli} on the process
 * arguments; Ctrl-C aborts the running command's signal so servers and downloads stop cleanly.
 */
import { runCli } from './runCli.js'

const controller = new AbortController()
let interrupted = false
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (interrupted) process.exit(130)
    interrupted = true
    controller.abort(new Error(sig))
  })
}
process.exitCode = await runCli(process.argv.slice(2), { signal: controller.signal })
