import { ApiError, ClientError, LagoonError, NetworkError } from '@lagoon/sdk'
import { CliError } from '../CliError.js'

/** What a hint may mention: the node URL, the account the command is about. */
export interface ExplainContext {
  readonly node?: string
  readonly account?: string
}

const HINTS: Record<string, (c: ExplainContext) => string> = {
  UNKNOWN_ACCOUNT: (c) => `account ${c.account ?? ''} has no layer-2 state yet: deposit to it ("lagoon deposit") or register it ("lagoon register")`.replace('  ', ' '),
  NOT_FOUND: (c) => `check the account id${c.account ? ` (${c.account})` : ''}; an account appears once it registers or receives a deposit`,
  NO_KEY: () => 'the account has no layer-2 key yet: run "lagoon register --wallet FILE"',
  UNKNOWN_RECIPIENT: () => 'the recipient has no layer-2 account: they register or deposit first',
  INSUFFICIENT_BALANCE: () => 'see your balance with "lagoon status"; add ADA with "lagoon deposit AMOUNT"',
  EXIT_EXCEEDS_PENDING: () => 'see your pending exit with "lagoon status"',
  BAD_NONCE: () => 'another transaction of this account was applied meanwhile: run the command again',
  ALREADY_REGISTERED: () => 'the account already has a layer-2 key; to replace it, rotate it (SDK: client.rotateKey)',
  UNAUTHORIZED: () => 'this node needs a wallet token: pass --token T or set LAGOON_TOKEN (the operator creates one with "lagoon token create --scope wallet")',
  FORBIDDEN: () => 'the token lacks the scope for this: ask the operator for a wallet token',
  PAUSED: () => 'the node paused submissions: retry later',
  WRONG_TERMS: () => 'the terms of service changed: run the command again',
  NO_L1: (c) => `the node at ${c.node ?? 'this URL'} runs without layer 1: use a node that has one`,
  INSTANCE_MISMATCH: () => 'this lagoon and the node disagree on the validators: update one of them',
  ANCHOR_FROZEN: () => 'the instance is frozen: take everything back with "lagoon exodus"',
  ANCHOR_ACTIVE: () => 'freeze it first: "lagoon exodus" freezes once the operator has been silent for the exodus timeout',
  TOO_EARLY: () => 'try again after the time above',
  PROOF_MISMATCH: () => 'the proof source lied: use another (--proof-from local replays the log yourself)',
  PROOF_STALE: () => 'the anchor moved since; retry in a few minutes, or use --proof-from local',
  NOT_IN_STATE: () => 'the account is not in the last committed state: wait for the next commitment ("lagoon status")',
  NOTHING_TO_WITHDRAW: () => 'request a withdrawal first ("lagoon withdraw AMOUNT"), then wait until "lagoon status" says committed',
  DEPOSIT_NOT_FOUND: () => 'see your waiting deposits with "lagoon status --l1 URL"',
  NOT_OWNER: () => 'only the wallet that owns a deposit can take it back: pass its --wallet',
  LOG_MISMATCH: () => 'the log source does not match what was committed on layer 1: use another (a relay, or a saved copy)',
  L1_TX_FAILED: () => 'check the wallet has enough ADA for the fee (and a collateral UTxO) on layer 1',
  WAIT_TIMEOUT: () => 'nothing is lost: run "lagoon status" later to see where it is',
}

/**
 * Turns an SDK error into a `CliError` with a hint (what to do next), keeping its code; other errors
 * pass through unchanged.
 *
 * @example
 * try { await client.transfer(p) } catch (e) { throw explain(e, { node: url, account }) }
 */
export function explain(e: unknown, c: ExplainContext = {}): unknown {
  if (e instanceof CliError) return e
  if (e instanceof NetworkError && (e.code === 'NETWORK_ERROR' || e.code === 'TIMEOUT')) {
    return new CliError('NODE_UNREACHABLE', e.message, `is the node running at ${c.node ?? 'that URL'}? pass --node URL or set LAGOON_NODE`, { cause: e })
  }
  if (e instanceof ApiError && e.code === 'NOT_FOUND' && c.account && /account/.test(e.message)) {
    return new CliError('UNKNOWN_ACCOUNT', `unknown account ${c.account}`, HINTS.UNKNOWN_ACCOUNT!(c), { cause: e })
  }
  if (e instanceof LagoonError) {
    const pending = e.code === 'L1_TX_FAILED' && /MISSING_INPUT|BadInputsUTxO|already spent/.test(e.message)
    const hint = pending ? 'an earlier transaction of this wallet is not in a block yet: wait for it, then run the command again' : HINTS[e.code]?.(c)
    return new CliError(e.code, e.message, hint, { cause: e, ...(e.details ? { details: { ...e.details } } : {}) })
  }
  if (e instanceof ClientError) return new CliError(e.code, e.message, undefined, { cause: e })
  return e
}
