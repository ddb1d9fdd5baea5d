import { parseArgs } from 'node:util'
import { LagoonError } from '@lagoon/sdk/errors'
import { CliError } from './CliError.js'
import { COMMON_OPTIONS, type Command } from './Command.js'
import { COMMANDS } from './commands/index.js'
import { createOutput, toJson, type OutputOptions } from './Output.js'

/** Injectable I/O for {@link runCli} (tests run the CLI in-process). */
export interface CliIo {
  readonly stdout?: OutputOptions['stdout']
  readonly stderr?: OutputOptions['stderr']
  readonly env?: NodeJS.ProcessEnv
  readonly signal?: AbortSignal
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'lagoon — the Lagoon rollup from the command line',
    '',
    'usage: lagoon COMMAND [options]   (lagoon COMMAND --help for its options)',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'every command takes --json (machine-readable output) and --help.',
  ].join('\n')
}

function describe(e: unknown): { code: string; message: string; hint?: string; exit: number } {
  if (e instanceof CliError) return { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}), exit: e.code === 'USAGE' ? 2 : 1 }
  if (e instanceof LagoonError) return { code: e.code, message: e.message, exit: 1 }
  const err = e as { name?: string; message?: string; problems?: unknown }
  if (err?.name === 'ConfigError') return { code: 'CONFIG', message: String(err.message), hint: 'fix the config file or the LAGOON_* variables named above', exit: 1 }
  return { code: 'INTERNAL', message: String(err?.message ?? e), hint: 'this is a bug in lagoon; rerun with LAGOON_DEBUG=1 for the stack and report it', exit: 1 }
}

/**
 * Runs `lagoon` with `argv` (without `node` and the script): dispatches to the command, prints its result
 * or a clear error (`error: …` and a hint on stderr; `{"error":{…}}` on stdout with `--json`), and
 * resolves with the exit code (0 ok, 1 failure, 2 usage).
 *
 * @example
 * const code = await runCli(['status', 'ab12…', '--node', 'http://127.0.0.1:8080', '--json'])
 */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const env = io.env ?? process.env
  const wantsJson = argv.includes('--json')
  const out = createOutput({ json: wantsJson, ...(io.stdout ? { stdout: io.stdout } : {}), ...(io.stderr ? { stderr: io.stderr } : {}) })
  const stderr = io.stderr ?? process.stderr
  const stdout = io.stdout ?? process.stdout
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    stdout.write(`${overview()}\n`)
    return name ? 0 : 2
  }
  if (name === '--version') {
    stdout.write('lagoon 0.1.0\n')
    return 0
  }
  const entry = COMMANDS.find((c) => c.name === name)
  try {
    if (!entry) throw new CliError('USAGE', `unknown command "${name}"`, `run "lagoon --help" for the list of commands`)
    const command: Command = await entry.load()
    let parsed: ReturnType<typeof parseArgs>
    try {
      parsed = parseArgs({ args: [...rest], options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true })
    } catch (e) {
      throw new CliError('USAGE', (e as Error).message, `run "lagoon ${name} --help"`)
    }
    if (parsed.values.help) {
      stdout.write(`${command.usage}\n`)
      return 0
    }
    const signal = io.signal ?? new AbortController().signal
    return await command.run({ values: parsed.values, positionals: parsed.positionals, out, env, signal })
  } catch (e) {
    out.progressDone()
    const d = describe(e)
    if (wantsJson) stdout.write(`${toJson({ error: { code: d.code, message: d.message, ...(d.hint ? { hint: d.hint } : {}) } })}\n`)
    else stderr.write(`error: ${d.message}${d.hint ? `\n  ${d.hint}` : ''}\n`)
    if (env.LAGOON_DEBUG && e instanceof Error && e.stack) stderr.write(`${e.stack}\n`)
    return d.exit
  }
}
