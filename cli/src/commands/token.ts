import { SCOPES, TokenStore, type Scope } from '@lagoon/sequencer/auth/TokenStore'
import { loadConfig } from '@lagoon/sequencer/node/NodeConfig'
import { openDatabase } from '@lagoon/sequencer/storage/openDatabase'
import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'

/**
 * `lagoon token create|revoke|list`: manages the node's API tokens in its SQLite file (safe while the node
 * runs; a revocation applies at once).
 *
 * @example
 * // lagoon token create --scope wallet --label alice --config lagoon.json
 */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'create, revoke or list API tokens (admin, relay, wallet)',
  usage: `usage:
  lagoon token create --scope admin|relay|wallet [--label TEXT] [--config FILE]
  lagoon token revoke ID [--config FILE]
  lagoon token list [--config FILE]

Tokens live hashed in the node's SQLite file (LAGOON_DB, or "db" in --config). The secret is printed
once, at creation. Scopes: wallet (submit), relay (the log firehose), admin (everything).`,
  options: { config: { type: 'string' }, scope: { type: 'string' }, label: { type: 'string' } },
  async run({ values, positionals, out, env }) {
    const [sub, arg] = positionals
    if (!sub || !['create', 'revoke', 'list'].includes(sub)) {
      throw new CliError('USAGE', sub ? `unknown sub-command "token ${sub}"` : 'missing sub-command', 'use token create, token revoke ID or token list')
    }
    const dbPath = env.LAGOON_DB ?? (values.config ? loadConfig(values.config as string, env).db : undefined)
    if (!dbPath) throw new CliError('NO_DATABASE', 'no node database given', 'set LAGOON_DB or pass --config with a "db" path')
    const db = openDatabase(dbPath)
    try {
      const tokens = new TokenStore(db)
      if (sub === 'create') {
        const scope = values.scope as string | undefined
        if (!scope || !SCOPES.includes(scope as Scope)) throw new CliError('USAGE', `--scope must be one of ${SCOPES.join(', ')}`, 'e.g. --scope wallet')
        const { id, token } = tokens.create(scope as Scope, (values.label as string | undefined) ?? null)
        out.result({ id, scope, token }, () => `token ${id} (${scope}):\n  ${token}\nshown once: only its hash is stored`)
        return 0
      }
      if (sub === 'revoke') {
        if (!arg) throw new CliError('USAGE', 'token revoke needs the token id', 'see "lagoon token list"')
        const revoked = tokens.revoke(arg)
        if (!revoked) throw new CliError('TOKEN_NOT_FOUND', `no active token ${arg}`, 'see "lagoon token list"')
        out.result({ id: arg, revoked }, () => `token ${arg} revoked`)
        return 0
      }
      const list = tokens.list()
      out.result(list, () => (list.length === 0 ? 'no tokens' : list.map((t) => JSON.stringify(t)).join('\n')))
      return 0
    } finally {
      db.close()
    }
  },
}
