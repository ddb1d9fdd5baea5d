import { homedir } from 'node:os'
import { join } from 'node:path'
import type { CommandContext } from '../Command.js'

/** `--node URL` and `--token T`: where the node is and the bearer token to submit with. */
export const NODE_OPTIONS = {
  node: { type: 'string' },
  token: { type: 'string' },
} as const

/** `--l1 URL` and `--l1-project-id ID`: a Blockfrost-compatible layer-1 API. */
export const L1_OPTIONS = {
  l1: { type: 'string' },
  'l1-project-id': { type: 'string' },
} as const

/** `--wallet FILE` (the layer-1 wallet key) and `--l2-key FILE` (the layer-2 signing key). */
export const KEY_OPTIONS = {
  wallet: { type: 'string' },
  'l2-key': { type: 'string' },
} as const

/** The help text of the options above, for each command's `usage`. */
export const COMMON_HELP = {
  node: '  --node URL          the node (env LAGOON_NODE; default http://127.0.0.1:8080)\n  --token T           a wallet token, when the node is not open (env LAGOON_TOKEN)',
  l1: '  --l1 URL            a Blockfrost-compatible layer-1 API: Blockfrost, Yaci DevKit, or the devnet of\n                      `npm start` (env LAGOON_L1_URL)\n  --l1-project-id ID  the Blockfrost project id (env LAGOON_L1_PROJECT_ID)',
  wallet: '  --wallet FILE       the layer-1 wallet: a file holding a bech32 ed25519_sk… key or a mnemonic\n                      (env LAGOON_WALLET: a file path)',
  l2Key: '  --l2-key FILE       the layer-2 signing key (hex); default ~/.lagoon/keys/INSTANCE/ACCOUNT.l2key,\n                      written by "lagoon register" (env LAGOON_L2_KEY; LAGOON_HOME moves ~/.lagoon)',
  json: '  --json              machine-readable output (amounts in lovelace, as strings)',
}

/** The value of string option `name`, else the environment variable, else `fallback`. */
export function opt(ctx: Pick<CommandContext, 'values' | 'env'>, name: string, envName: string, fallback?: string): string | undefined {
  const v = ctx.values[name]
  if (typeof v === 'string' && v !== '') return v
  const e = ctx.env[envName]
  return e !== undefined && e !== '' ? e : fallback
}

/** The node URL and token of a command. */
export function nodeOf(ctx: Pick<CommandContext, 'values' | 'env'>): { url: string; token: string | undefined } {
  return { url: (opt(ctx, 'node', 'LAGOON_NODE', 'http://127.0.0.1:8080') as string).replace(/\/+$/, ''), token: opt(ctx, 'token', 'LAGOON_TOKEN') }
}

/** Where the CLI keeps its files: LAGOON_HOME, else ~/.lagoon. */
export function lagoonHome(env: NodeJS.ProcessEnv): string {
  return env.LAGOON_HOME && env.LAGOON_HOME !== '' ? env.LAGOON_HOME : join(homedir(), '.lagoon')
}
