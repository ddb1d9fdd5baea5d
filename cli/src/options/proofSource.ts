import { readFileSync } from 'node:fs'
import { decodeCanonical, type ProofSource } from '@lagoon/sdk'
import { isLogFile, LogFile } from '@lagoon/sdk/node'
import { CliError } from '../CliError.js'
import type { CommandContext } from '../Command.js'

/** `--proof-from` and `--log`: where a withdrawal's proof comes from. */
export const PROOF_OPTIONS = {
  'proof-from': { type: 'string' },
  log: { type: 'string' },
} as const

/** Their help text. */
export const PROOF_HELP = `  --proof-from SRC    node (the node's proof), local (replay the node's log here), or a relay URL;
                      every proof is checked against the root on layer 1
  --log FILE          replay this saved copy of the task log instead of asking the node (works with
                      the node gone): the file "lagoon audit --resume FILE" keeps (any length, checked),
                      or the CBOR that GET /log?from=1&limit=10000 serves`

/**
 * The proof source of a command, or undefined for the action's default.
 *
 * @example
 * const source = proofSourceOf(ctx) // { relay: 'http://relay:8090' }
 */
export function proofSourceOf(ctx: Pick<CommandContext, 'values'>): ProofSource | undefined {
  const file = ctx.values.log as string | undefined
  if (file) return { log: readLogFile(file) }
  const from = ctx.values['proof-from'] as string | undefined
  if (from === undefined) return undefined
  if (from === 'node' || from === 'local') return from
  if (/^https?:\/\//.test(from)) return { relay: from.replace(/\/+$/, '') }
  throw new CliError('USAGE', `--proof-from "${from}" is not a proof source`, 'use node, local or a relay URL (http://…)')
}

/**
 * Reads a saved task log: the progress file of `lagoon audit --resume FILE` (any length), or one CBOR
 * page `[* [seq, bytes, head]]` as `GET /log` serves it.
 *
 * @example
 * const entries = readLogFile('log.cbor')
 */
export function readLogFile(file: string): { seq: number; bytes: Uint8Array; head: Uint8Array }[] {
  let raw: Uint8Array
  try {
    raw = new Uint8Array(readFileSync(file))
  } catch (e) {
    throw new CliError('USAGE', `cannot read the log file ${file}: ${(e as Error).message}`, 'save it with: curl -o log.cbor "$NODE/log?from=1&limit=10000"')
  }
  // A `lagoon audit --resume FILE` progress file is a full, checked copy of the log: take it as is.
  if (isLogFile(raw)) return LogFile.read(file).entries
  const entries: { seq: number; bytes: Uint8Array; head: Uint8Array }[] = []
  let page: unknown
  try {
    page = decodeCanonical(raw, raw.length)
  } catch (e) {
    throw new CliError('BAD_LOG', `${file} is not a CBOR page of the task log: ${(e as Error).message}`, 'save it with: curl -o log.cbor "$NODE/log?from=1&limit=10000"')
  }
  for (const e of page as unknown[]) {
    if (!Array.isArray(e) || typeof e[0] !== 'number' || !(e[1] instanceof Uint8Array) || !(e[2] instanceof Uint8Array)) throw new CliError('BAD_LOG', `${file}: an entry is not [seq, bytes, head]`)
    entries.push({ seq: e[0], bytes: e[1], head: e[2] })
  }
  return entries
}
