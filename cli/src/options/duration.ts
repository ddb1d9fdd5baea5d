import { CliError } from '../CliError.js'

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * Milliseconds from a duration as typed: `90s`, `10m`, `24h`, `2d`, `1500ms`. `USAGE` error otherwise.
 *
 * @example
 * parseDuration('24h', '--refund-after') // 86_400_000
 */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim())
  if (!m) throw new CliError('USAGE', `${what} "${text}" is not a duration`, 'use a number and a unit: 90s, 10m, 24h, 2d')
  const ms = Math.round(Number(m[1]) * UNITS[m[2]!]!)
  if (ms <= 0) throw new CliError('USAGE', `${what} must be more than 0`, 'e.g. 24h')
  return ms
}

/**
 * `--timeout D` of the commands that read a node (`audit`, `relay`): the deadline of each request,
 * headers and whole body, in ms; 30 s when absent. A `USAGE` error when malformed.
 *
 * @example
 * const timeoutMs = timeoutOption(values.timeout) // 30_000
 */
export function timeoutOption(value: unknown): number {
  return typeof value === 'string' ? parseDuration(value, '--timeout') : 30_000
}
