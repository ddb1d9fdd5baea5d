import { bytesEqual } from '../cbor/canonical.js'
import { toHex } from '../bytes.js'
import { MAX_LOVELACE } from '../limits.js'
import { verifyKeyAuthorization } from '../registration/verifyKeyAuthorization.js'
import type { DepositTask, ExitPaidTask, KeyTask, Task } from '../task/types.js'
import type { SignedTx } from '../tx/types.js'
import type { Rejection, RejectionCode } from './rejection.js'
import type { AccountState, ApplyContext, StateChange, StateView } from './types.js'

/** What `apply` returns: the writes to make, or why the task is refused (nothing to write then). */
export type ApplyResult = { readonly ok: true; readonly changes: StateChange[] } | { readonly ok: false; readonly rejection: Rejection }

function reject(code: RejectionCode, message: string, details?: Record<string, unknown>): ApplyResult {
  return { ok: false, rejection: details === undefined ? { code, message } : { code, message, details } }
}

/**
 * The accounts and records one task touches, read through the view and written locally, so a task
 * with several actions sees its own earlier actions; `changes()` lists the net writes. A task
 * touches a handful of entries, so they live in small arrays compared bytewise (cheaper on the
 * sequencer's hot path than maps keyed by hex).
 */
class Overlay {
  private readonly accounts: { account: Mutable<AccountState>; created: boolean }[] = []
  private readonly records: { account: Uint8Array; key: Uint8Array; value: Uint8Array | null }[] = []
  private readonly extra: StateChange[] = []
  private created = 0

  constructor(private readonly view: StateView) {}

  private find(id: Uint8Array): Mutable<AccountState> | undefined {
    for (const e of this.accounts) if (bytesEqual(e.account.id, id)) return e.account
    return undefined
  }

  /** The account as this task sees it (read-only). */
  get(id: Uint8Array): AccountState | undefined {
    return this.find(id) ?? this.view.getAccount(id)
  }

  /**
   * The task's own copy of an existing account, made on first touch: the overlay mutates its copies
   * (never the view's objects) and returns them as the changes.
   */
  touch(id: Uint8Array): Mutable<AccountState> {
    const own = this.find(id)
    if (own) return own
    const base = this.view.getAccount(id)
    if (!base) throw new RangeError('touch() of an account that does not exist')
    const account = { ...base }
    this.accounts.push({ account, created: false })
    return account
  }

  /** As `touch`, creating the account (next index, no key, zero balances) if it does not exist. */
  touchOrCreate(id: Uint8Array): Mutable<AccountState> {
    if (this.get(id)) return this.touch(id)
    const account: Mutable<AccountState> = {
      id: id.slice(),
      index: this.view.accountCount() + this.created++,
      l2Key: null,
      keyEpoch: 0,
      balance: 0n,
      pendingExit: 0n,
      nonce: 0,
      recordCount: 0,
    }
    this.accounts.push({ account, created: true })
    return account
  }

  getRecord(account: Uint8Array, key: Uint8Array): Uint8Array | undefined {
    for (const r of this.records) if (bytesEqual(r.key, key) && bytesEqual(r.account, account)) return r.value ?? undefined
    return this.view.getRecord(account, key)
  }

  setRecord(account: Uint8Array, key: Uint8Array, value: Uint8Array | null): void {
    for (const r of this.records) {
      if (bytesEqual(r.key, key) && bytesEqual(r.account, account)) {
        r.value = value
        return
      }
    }
    this.records.push({ account, key, value })
  }

  add(change: StateChange): void {
    this.extra.push(change)
  }

  changes(): StateChange[] {
    // New accounts in index order, so writers can append them in order.
    const out: StateChange[] = this.accounts
      .sort((a, b) => a.account.index - b.account.index)
      .map(({ account, created }) => ({ type: 'account', account, created }))
    for (const r of this.records) out.push({ type: 'record', account: r.account, key: r.key, value: r.value })
    for (const c of this.extra) out.push(c)
    return out
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

function applyTx(view: StateView, tx: SignedTx, ctx: ApplyContext): ApplyResult {
  const { body } = tx
  const { params } = ctx
  if (!bytesEqual(body.instance, params.instance)) {
    return reject('WRONG_INSTANCE', 'the transaction is for another Lagoon instance', { expected: toHex(params.instance) })
  }
  const signer = view.getAccount(body.signer)
  if (!signer) return reject('UNKNOWN_ACCOUNT', `account ${toHex(body.signer)} is not registered`)
  if (!signer.l2Key) return reject('NO_KEY', `account ${toHex(body.signer)} has no layer-2 key yet: register one first`)
  if (!ctx.verifyEd25519(signer.l2Key, tx.id, tx.signature)) {
    return reject('BAD_SIGNATURE', "the signature does not verify with the account's layer-2 key")
  }
  if (body.nonce !== signer.nonce) {
    return reject('BAD_NONCE', `nonce ${body.nonce} is not the account's next nonce ${signer.nonce}`, {
      expected: signer.nonce,
      got: body.nonce,
    })
  }
  let spend = body.fee
  for (const a of body.actions) if (a.type === 'transfer' || a.type === 'withdraw') spend += a.amount
  if (spend > signer.balance) {
    return reject('INSUFFICIENT_BALANCE', `the transaction spends ${spend} lovelace; the balance is ${signer.balance}`, {
      needed: spend.toString(),
      balance: signer.balance.toString(),
    })
  }
  const o = new Overlay(view)
  for (const a of body.actions) {
    if (a.type === 'transfer' && !o.get(a.to)) return reject('UNKNOWN_RECIPIENT', `recipient ${toHex(a.to)} has no account`)
  }
  const me = o.touch(body.signer)
  if (body.fee > 0n) {
    me.balance -= body.fee
    o.touchOrCreate(params.operator).balance += body.fee
  }
  for (let i = 0; i < body.actions.length; i++) {
    const a = body.actions[i]!
    switch (a.type) {
      case 'transfer':
        me.balance -= a.amount
        o.touch(a.to).balance += a.amount
        break
      case 'withdraw':
        me.balance -= a.amount
        me.pendingExit += a.amount
        break
      case 'put':
        if (o.getRecord(body.signer, a.key) === undefined) {
          if (me.recordCount >= params.limits.maxRecords) {
            return reject('LIMIT_EXCEEDED', `action ${i}: the account already holds ${me.recordCount} records, the most allowed`)
          }
          me.recordCount++
        }
        o.setRecord(body.signer, a.key, a.value)
        break
      case 'delete':
        if (o.getRecord(body.signer, a.key) === undefined) {
          return reject('NO_SUCH_RECORD', `action ${i}: no record ${toHex(a.key)} to delete`)
        }
        me.recordCount--
        o.setRecord(body.signer, a.key, null)
        break
    }
  }
  me.nonce++
  return { ok: true, changes: o.changes() }

}

function applyKey(view: StateView, task: KeyTask, ctx: ApplyContext): ApplyResult {
  const check = verifyKeyAuthorization(task.account, task)
  if (!check.ok) return reject('BAD_AUTHORIZATION', check.message)
  const auth = check.authorization
  if (!bytesEqual(auth.instance, ctx.params.instance)) return reject('WRONG_INSTANCE', 'the authorization is for another Lagoon instance')
  if (!bytesEqual(auth.terms, ctx.params.terms)) {
    return reject('WRONG_TERMS', 'the authorization accepts other terms of service than this instance’s', {
      expected: toHex(ctx.params.terms),
    })
  }
  const existing = view.getAccount(task.account)
  if (task.kind === 'register' && existing?.l2Key) return reject('ALREADY_REGISTERED', 'the account already has a key: rotate it instead')
  if (task.kind === 'rotate' && !existing) return reject('UNKNOWN_ACCOUNT', 'the account is not registered')
  if (task.kind === 'rotate' && !existing!.l2Key) return reject('NO_KEY', 'the account has no key to rotate: register instead')
  const epoch = existing?.keyEpoch ?? 0
  if (auth.epoch !== epoch) {
    return reject('STALE_AUTHORIZATION', `the authorization is for key epoch ${auth.epoch}; the account is at ${epoch}`)
  }
  const o = new Overlay(view)
  const acc = o.touchOrCreate(task.account)
  acc.l2Key = auth.l2Key.slice()
  acc.keyEpoch++
  return { ok: true, changes: o.changes() }
}

function applyDeposit(view: StateView, task: DepositTask): ApplyResult {
  if (view.isDepositCredited(task.txHash, task.index)) {
    return reject('DUPLICATE_DEPOSIT', `deposit ${toHex(task.txHash)}#${task.index} is already credited`)
  }
  if (task.amount < 1n || task.amount > MAX_LOVELACE) return reject('LIMIT_EXCEEDED', `deposit amount ${task.amount} is out of range`)
  const o = new Overlay(view)
  o.touchOrCreate(task.owner).balance += task.amount
  o.add({ type: 'deposit', txHash: task.txHash, index: task.index })
  return { ok: true, changes: o.changes() }
}

function applyExitPaid(view: StateView, task: ExitPaidTask): ApplyResult {
  const acc = view.getAccount(task.account)
  if (!acc) return reject('UNKNOWN_ACCOUNT', `account ${toHex(task.account)} does not exist`)
  if (task.amount < 1n || task.amount > acc.pendingExit) {
    return reject('EXIT_EXCEEDS_PENDING', `exit of ${task.amount} exceeds the pending exit ${acc.pendingExit}`)
  }
  return { ok: true, changes: [{ type: 'account', account: { ...acc, pendingExit: acc.pendingExit - task.amount }, created: false }] }
}

/**
 * The state transition: reads the state through `view` and returns the writes applying `task` makes,
 * or a typed rejection. Pure: no I/O, no clock, no mutation; the same inputs give the same output in
 * the sequencer, an auditor and a test.
 *
 * @example
 * const r = apply(state, { kind: 'tx', tx }, ctx)
 * if (r.ok) state.commit(r.changes)
 * else console.log(r.rejection.code) // e.g. 'BAD_NONCE'
 */
export function apply(view: StateView, task: Task, ctx: ApplyContext): ApplyResult {
  switch (task.kind) {
    case 'tx':
      return applyTx(view, task.tx, ctx)
    case 'register':
    case 'rotate':
      return applyKey(view, task, ctx)
    case 'deposit':
      return applyDeposit(view, task)
    case 'exitPaid':
      return applyExitPaid(view, task)
  }
}
