import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type Database from 'better-sqlite3'

/** What a token lets its holder do. `admin` may do everything; `wallet` submits; `relay` reads the firehose. */
export type Scope = 'admin' | 'relay' | 'wallet'

/** The scopes, for validation. */
export const SCOPES: readonly Scope[] = ['admin', 'relay', 'wallet']

/** A token's public description (never its secret). */
export interface TokenInfo {
  readonly id: string
  readonly scope: Scope
  readonly label: string | null
  readonly createdAt: number
  readonly revokedAt: number | null
}

/** Why a presented token was refused: `UNAUTHORIZED` (missing, malformed, unknown, revoked) or `FORBIDDEN` (scope). */
export type TokenCheck = { readonly ok: true; readonly token: TokenInfo } | { readonly ok: false; readonly code: 'UNAUTHORIZED' | 'FORBIDDEN'; readonly message: string }

const TOKEN_RE = /^lgn_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/
const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest()

type TokenRow = { id: string; scope: Scope; hash: Buffer; label: string | null; created_at: number; revoked_at: number | null }

/** Rows (and absences) kept by id between writes to the file; beyond this the cache starts over. */
const MAX_CACHED = 4096

/**
 * How long a cached row is trusted without asking SQLite whether another connection wrote the file:
 * the longest a revocation from the CLI takes to reach a running node. Asking costs a read
 * transaction (the shared-memory locks of WAL mode), 30–40 µs per request on a busy node.
 */
export const TOKEN_RECHECK_MS = 100

/**
 * Auth tokens, stored as SHA-256 of their secret and compared in constant time. A token reads
 * `lgn_<id>_<secret>`: the id (public, for revocation) finds the row, the secret is checked against
 * its hash. Rows are cached by id until another connection (the CLI's `token create`/`revoke`)
 * commits to the file, which SQLite's `data_version` tells; it is asked at most every `recheckMs`
 * ({@link TOKEN_RECHECK_MS}), so a revocation from the CLI applies within that, and one through
 * this store at once.
 *
 * @example
 * const tokens = new TokenStore(db)
 * const { token } = tokens.create('wallet', 'shop frontend')
 * tokens.check(token, 'wallet') // { ok: true, ... }
 */
export class TokenStore {
  private readonly stmt
  private readonly rows = new Map<string, TokenRow | undefined>()
  private version: number | null = null
  private checkedAt = -Infinity

  constructor(
    db: Database.Database,
    private readonly recheckMs = TOKEN_RECHECK_MS,
  ) {
    this.stmt = {
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      insert: db.prepare('INSERT INTO tokens (id, scope, hash, label, created_at) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE id = ?'),
      revoke: db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      list: db.prepare<[], { id: string; scope: Scope; label: string | null; created_at: number; revoked_at: number | null }>(
        'SELECT id, scope, label, created_at, revoked_at FROM tokens ORDER BY created_at, id',
      ),
    }
  }

  /**
   * Creates a token; the returned secret string is shown once and never stored.
   *
   * @example
   * tokens.create('admin').token // 'lgn_0123456789abcdef_…'
   */
  create(scope: Scope, label: string | null = null): { id: string; token: string } {
    if (!SCOPES.includes(scope)) throw new RangeError(`unknown scope ${String(scope)}; expected one of ${SCOPES.join(', ')}`)
    const id = randomBytes(8).toString('hex')
    const secret = randomBytes(32).toString('base64url')
    this.stmt.insert.run(id, scope, sha256(secret), label, Date.now())
    this.rows.clear()
    return { id, token: `lgn_${id}_${secret}` }
  }

  /**
   * Revokes a token by id; false if there is no such live token.
   *
   * @example
   * tokens.revoke('0123456789abcdef')
   */
  revoke(id: string): boolean {
    const changed = this.stmt.revoke.run(Date.now(), id).changes === 1
    this.rows.clear()
    return changed
  }

  /**
   * Every token, without secrets.
   *
   * @example
   * tokens.list().filter((t) => t.revokedAt === null)
   */
  list(): TokenInfo[] {
    return this.stmt.list.all().map((r) => ({ id: r.id, scope: r.scope, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at }))
  }

  /**
   * Checks a presented token for a required scope (`admin` passes every scope).
   *
   * @example
   * const r = tokens.check(bearer, 'wallet')
   * if (!r.ok) reply(r.code === 'FORBIDDEN' ? 403 : 401)
   */
  check(presented: string | undefined, required: Scope): TokenCheck {
    if (!presented) return { ok: false, code: 'UNAUTHORIZED', message: `this endpoint needs a ${required} token: send "Authorization: Bearer <token>"` }
    const m = TOKEN_RE.exec(presented)
    const row = m ? this.row(m[1]!) : undefined
    // Hash even when the row is missing, so timing does not tell which ids exist (absences are
    // cached like rows, so a cache hit tells only that the id was asked for lately).
    const given = sha256(m?.[2] ?? presented)
    const valid = row !== undefined && timingSafeEqual(given, row.hash)
    if (!row || !valid || row.revoked_at !== null) return { ok: false, code: 'UNAUTHORIZED', message: 'the token is unknown or revoked' }
    const token: TokenInfo = { id: row.id, scope: row.scope, label: row.label, createdAt: row.created_at, revokedAt: row.revoked_at }
    if (row.scope !== required && row.scope !== 'admin') {
      return { ok: false, code: 'FORBIDDEN', message: `the token's scope is ${row.scope}; this endpoint needs ${required}` }
    }
    return { ok: true, token }
  }

  /** The row of a token id, from the cache while no other connection has written to the file. */
  private row(id: string): TokenRow | undefined {
    const now = performance.now()
    if (now - this.checkedAt >= this.recheckMs || this.rows.size >= MAX_CACHED) {
      this.checkedAt = now
      // data_version changes only for commits of other connections: this connection's own writes
      // to the table go through create/revoke, which clear the cache themselves.
      const v = this.stmt.dataVersion.get()!
      if (v !== this.version || this.rows.size >= MAX_CACHED) {
        this.rows.clear()
        this.version = v
      }
    }
    if (this.rows.has(id)) return this.rows.get(id)
    const row = this.stmt.get.get(id)
    this.rows.set(id, row)
    return row
  }
}
