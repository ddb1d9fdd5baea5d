import type { ParseArgsConfig } from 'node:util'
import type { Output } from './Output.js'

/** The options every command accepts. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>

/** What a command's `run` receives. */
export interface CommandContext {
  /** Parsed option values (strings/booleans as declared in `options`). */
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>
  /** Positional arguments after the command name (and after a sub-command word for `sequencer`/`token`). */
  readonly positionals: string[]
  readonly out: Output
  readonly env: NodeJS.ProcessEnv
  /** Aborted on Ctrl-C: long-running commands stop cleanly. */
  readonly signal: AbortSignal
}

/**
 * One `lagoon` command: its name, one-line summary, `--help` text, options and action. `run` returns the
 * exit code, or never resolves for a server (it stops on `signal`).
 *
 * @example
 * export const statusCommand: Command = {
 *   name: 'status', summary: 'show an account', usage: 'lagoon status ACCOUNT [--node URL]',
 *   options: { node: { type: 'string' } },
 *   async run({ values, out }) { out.result({}, () => 'ok'); return 0 },
 * }
 */
export interface Command {
  readonly name: string
  readonly summary: string
  /** The full `--help` text: usage lines, options, environment, examples. */
  readonly usage: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  run(ctx: CommandContext): Promise<number>
}
