import { ApiError, fromHex, l2Signer, randomEd25519Key, toHex, type Account, type L2Signer } from '../../../sdk/src/index.js'
import type { App } from '../App.js'
import { byId, fill, h } from '../ui/dom.js'
import { describeError } from '../ui/describeError.js'
import { ada, clock, parseAda, short } from '../ui/format.js'
import { depositOnL1, exodusWithdrawOnL1, freezeOnL1, l1Balance, waitForL1Tx } from './l1Actions.js'
import { watchDepositCredit } from './watchDepositCredit.js'
import { cip30Wallets } from './cip30Wallets.js'
import type { WalletSession } from './WalletSession.js'

// Lucid Evolution (and its UPLC WebAssembly) loads when a wallet connects, not with the page.
const walletSessions = () => import('./WalletSession.js')
import { trackWithdrawals, type WithdrawalView } from './trackWithdrawals.js'
import { withdrawalRows } from './withdrawalRows.js'

type Level = 'ok' | 'error' | 'pending' | ''

/** Sets a status line: text and class; errors show their code. */
function setStatus(el: HTMLElement, level: Level, text: string): void {
  el.className = `status ${level}`
  el.textContent = text
}

/** A list of steps, each pending / active / done / failed. */
function steps(id: string, labels: string[]): { el: HTMLOListElement; set(i: number, state: 'active' | 'done' | 'failed', text?: string): void; failActive(): void; reset(): void } {
  const el = h('ol', { id, class: 'steps' }, ...labels.map((l) => h('li', {}, l)))
  return {
    el,
    set(i, state, text) {
      const li = el.children[i] as HTMLLIElement
      li.className = state
      if (text !== undefined) li.textContent = text
    },
    failActive() {
      for (const li of Array.from(el.children)) if (li.className === 'active') li.className = 'failed'
    },
    reset() {
      fill(el, labels.map((l) => h('li', {}, l)))
    },
  }
}

function keyStorageName(instance: string, account: string): string {
  return `lagoon:l2key:${instance}:${account}`
}

/**
 * The wallet tab: connect (CIP-30 or a devnet demo wallet), register (CIP-8), deposit and watch the
 * credit arrive after the confirmations, pay, request a withdrawal and follow it until it is paid on
 * layer 1, and the exodus demo. Every action reports its progress and errors (code and message) in
 * its card.
 *
 * @example
 * mountWallet(app, byId('panel-wallet'))
 */
export function mountWallet(app: App, root: HTMLElement): void {
  const { setup } = app
  const instance = setup.instance
  let session: WalletSession | null = null
  let signer: L2Signer | null = null
  let account: Account | null = null

  // ---- activity log
  const activity = h('ul', { id: 'activity' })
  const log = (text: string, level: Level = '') => {
    activity.prepend(h('li', { class: level }, `${clock(Date.now())}  ${text}`))
    while (activity.children.length > 60) activity.lastElementChild!.remove()
  }
  const fail = (el: HTMLElement, what: string, e: unknown) => {
    const { code, message } = describeError(e)
    setStatus(el, 'error', `${what} failed — ${code}: ${message}`)
    log(`${what}: ${code}: ${message}`, 'error')
  }

  // ---- connect
  const select = h('select', { id: 'wallet-select' })
  for (const w of cip30Wallets()) select.append(h('option', { value: `cip30:${w.id}` }, `${w.name} (CIP-30)`))
  for (const [i, w] of (setup.demo?.demoWallets ?? []).entries()) select.append(h('option', { value: `demo:${i}` }, `demo wallet: ${w.name}`))
  const connectBtn = h('button', { id: 'connect', class: 'action' }, 'Connect')
  const connectStatus = h('div', { id: 'connect-status', class: 'status' })
  const facts = h('dl', { class: 'kv' })
  const balanceBig = h('div', { id: 'l2-balance', class: 'big' }, '—')
  if (select.options.length === 0) {
    setStatus(connectStatus, 'error', 'NO_WALLET: no CIP-30 wallet in this browser and no demo wallets (the node is not a devnet demo)')
    connectBtn.disabled = true
  }

  // ---- register
  const registerBtn = h('button', { id: 'register', class: 'action', disabled: true }, 'Register (sign with the wallet)')
  const registerStatus = h('div', { id: 'register-status', class: 'status' })

  // ---- deposit
  const depositAmount = h('input', { id: 'deposit-amount', class: 'amount', value: '25', inputmode: 'decimal' })
  const depositBtn = h('button', { id: 'deposit', class: 'action', disabled: true }, 'Deposit')
  const k = instance?.confirmations ?? 0
  const depositSteps = steps('deposit-steps', ['build and sign the deposit on layer 1', 'submit it', `wait for ${k} confirmations`, 'credited on layer 2'])
  const depositStatus = h('div', { id: 'deposit-status', class: 'status' })

  // ---- pay
  const payTo = h('select', { id: 'pay-to' }, h('option', { value: '' }, 'choose a recipient…'))
  const payToHex = h('input', { id: 'pay-to-hex', class: 'account', placeholder: 'or paste an account id (56 hex digits)' })
  const payAmount = h('input', { id: 'pay-amount', class: 'amount', value: '5', inputmode: 'decimal' })
  const payBtn = h('button', { id: 'pay', class: 'action', disabled: true }, 'Pay')
  const payStatus = h('div', { id: 'pay-status', class: 'status' })
  for (const w of setup.demo?.demoWallets ?? []) if (w.account) payTo.append(h('option', { value: w.account }, `${w.name} — ${short(w.account)}`))

  // ---- withdraw
  const withdrawAmount = h('input', { id: 'withdraw-amount', class: 'amount', value: '3', inputmode: 'decimal' })
  const withdrawBtn = h('button', { id: 'withdraw', class: 'action', disabled: true }, 'Request withdrawal')
  const withdrawStatus = h('div', { id: 'withdraw-status', class: 'status' })
  const withdrawalsBody = h('tbody')
  const withdrawalsTable = h('table', { id: 'withdrawals' }, h('thead', {}, h('tr', {}, h('th', {}, 'amount'), h('th', {}, 'requested at seq'), h('th', {}, 'status'), h('th', {}, 'batch'), h('th', {}, 'layer-1 payout'))), withdrawalsBody)

  // ---- exodus
  const exodusBtn = h('button', { id: 'exodus', class: 'action danger', disabled: !setup.demo }, 'Run the exodus demo')
  const exodusSteps = steps('exodus-steps', ['stop the operator and let the exodus timeout pass (devnet)', 'freeze the anchor on layer 1', 'exodus-withdraw the whole balance with a proof against the last root'])
  const exodusStatus = h('div', { id: 'exodus-status', class: 'status' })

  const card = (step: string | null, title: string, ...children: (Node | string)[]) =>
    h('div', { class: 'card' }, h('h2', {}, step ? h('span', { class: 'step' }, step) : null, title), ...children)

  fill(root, [
    h(
      'div',
      { class: 'grid' },
      card('1', 'Wallet', h('div', { class: 'row' }, select, connectBtn), connectStatus, facts),
      card(null, 'Layer-2 balance', balanceBig, h('div', { id: 'l2-details', class: 'muted' }, 'connect a wallet')),
      card(
        '2',
        'Register',
        h('p', { class: 'muted' }, 'The wallet signs (CIP-8) a key authorization naming this instance, your account, a new layer-2 key kept in this browser, and the terms of service. Payments then need no wallet pop-up.'),
        h('div', { class: 'row' }, registerBtn),
        registerStatus,
      ),
      card(
        '3',
        'Deposit',
        h('p', { class: 'muted' }, `Locks ADA at the deposit address on layer 1. The sequencer credits it after ${k} confirmations and absorbs it into the anchor at the next batch.`),
        h('div', { class: 'row' }, h('label', { for: 'deposit-amount' }, 'ADA'), depositAmount, depositBtn),
        depositSteps.el,
        depositStatus,
      ),
      card('4', 'Pay', h('div', { class: 'row' }, payTo, h('label', { for: 'pay-amount' }, 'ADA'), payAmount, payBtn), h('div', { class: 'row' }, payToHex), payStatus),
      card(
        '5',
        'Withdraw to layer 1',
        h('p', { class: 'muted' }, 'Moves ADA to your pending exit; once a batch with it is committed, the operator pays it to your address on layer 1.'),
        h('div', { class: 'row' }, h('label', { for: 'withdraw-amount' }, 'ADA'), withdrawAmount, withdrawBtn),
        withdrawStatus,
        withdrawalsTable,
      ),
      card(
        '!',
        'Exodus (the operator disappears)',
        h('p', { class: 'muted' }, 'Demo only: stops the operator’s commitments and moves the devnet clock past the exodus timeout. Anyone may then freeze the anchor, and every account takes its whole balance out with a proof.'),
        h('div', { class: 'row' }, exodusBtn),
        exodusSteps.el,
        exodusStatus,
      ),
      h('div', { class: 'card wide' }, h('h2', {}, 'Activity'), activity),
    ),
  ])

  // ---- state rendering
  const render = (l1?: bigint) => {
    const registered = !!account?.l2Key
    const ownsKey = !!signer && !!account?.l2Key && toHex(signer.publicKey) === account.l2Key
    if (session) {
      fill(facts, [
        h('dt', {}, 'wallet'),
        h('dd', { id: 'wallet-label' }, session.label),
        h('dt', {}, 'address'),
        h('dd', { id: 'wallet-address', class: 'mono' }, session.addressBech32),
        h('dt', {}, 'account'),
        h('dd', { id: 'wallet-account', class: 'mono' }, session.account),
        h('dt', {}, 'layer 1'),
        h('dd', { id: 'l1-balance' }, l1 === undefined ? (facts.querySelector('#l1-balance')?.textContent ?? '…') : ada(l1)),
        h('dt', {}, 'registered'),
        h('dd', { id: 'registered' }, registered ? (ownsKey ? `yes, key ${short(account!.l2Key!)} (in this browser)` : `yes, key ${short(account!.l2Key!)} — not held by this browser`) : 'no'),
      ])
    }
    balanceBig.textContent = account ? ada(account.balance) : '—'
    byId('l2-details').textContent = account
      ? `pending exit ${ada(account.pendingExit)} · nonce ${account.nonce} · leaf #${account.index}`
      : session
        ? 'no layer-2 account yet: register or deposit'
        : 'connect a wallet'
    registerBtn.disabled = !session || registered
    depositBtn.disabled = !session || !instance
    payBtn.disabled = withdrawBtn.disabled = !ownsKey
    exodusBtn.disabled = !session || !setup.demo
  }

  // One refresh at a time; a call made meanwhile runs once more after it (so an action's result shows).
  let refreshing: Promise<void> | null = null
  let again: { withL1: boolean } | null = null
  const refresh = async (withL1 = false): Promise<void> => {
    if (!session) return
    if (refreshing) {
      again = { withL1: withL1 || (again?.withL1 ?? false) }
      return refreshing
    }
    const s = session
    refreshing = (async () => {
      try {
        try {
          account = await setup.client.getAccount({ account: s.account })
        } catch (e) {
          if (e instanceof ApiError && e.code === 'NOT_FOUND') account = null
          else throw e
        }
        const l1 = withL1 ? await l1Balance(s.lucid).catch(() => undefined) : undefined
        if (s === session) render(l1)
      } catch (e) {
        log(`refresh: ${describeError(e).code}: ${describeError(e).message}`, 'error')
      }
    })()
    await refreshing
    refreshing = null
    if (again) {
      const next = again
      again = null
      await refresh(next.withL1)
    }
  }
  setInterval(() => void refresh(false), 2000)
  setInterval(() => void refresh(true), 6000)
  app.tail.onEntries(() => void refresh(false))

  // ---- withdrawals: the node's view (GET /accounts/:id/withdrawals), else derived from the log and batches
  const withdrawals = trackWithdrawals(app, () => session?.account ?? null, (list: WithdrawalView[]) => {
    fill(withdrawalsBody, withdrawalRows(list))
    const last = list[list.length - 1]
    const followed = last !== undefined && withdrawStatus.dataset.seq === String(last.requestedSeq) && !withdrawStatus.dataset.done
    if (followed && last.status === 'recorded') setStatus(withdrawStatus, 'pending', `${last.note ?? 'recorded by the node as paid, not seen on layer 1 yet'} (tx ${last.paidTx ?? '?'})`)
    if (followed && last.status === 'paid') {
      withdrawStatus.dataset.done = '1'
      setStatus(withdrawStatus, 'ok', `paid on layer 1 by tx ${last.paidTx ?? '?'} (seen on layer 1)`)
      log(`withdrawal of ${ada(last.amount)} paid on layer 1: ${last.paidTx}`, 'ok')
      void refresh(true)
    }
  })

  // ---- actions
  connectBtn.addEventListener('click', async () => {
    const v = select.value
    connectBtn.disabled = true
    setStatus(connectStatus, 'pending', 'connecting…')
    try {
      const { connectCip30Wallet, connectDemoWallet } = await walletSessions()
      const s = v.startsWith('cip30:') ? await connectCip30Wallet(setup, v.slice(6)) : await connectDemoWallet(setup, setup.demo!.demoWallets[Number(v.slice(5))]!)
      session = s
      account = null
      const stored = instance ? localStorage.getItem(keyStorageName(instance.instance, s.account)) : null
      signer = stored ? l2Signer({ account: s.account, secretKey: stored }) : null
      setStatus(connectStatus, 'ok', `connected: ${s.label}`)
      log(`connected ${s.label}: account ${short(s.account)}`, 'ok')
      withdrawals.reset()
      Array.from(payTo.options).forEach((o) => (o.disabled = o.value === s.account))
      render()
      await refresh(true)
    } catch (e) {
      fail(connectStatus, 'connect', e)
    } finally {
      connectBtn.disabled = false
    }
  })

  registerBtn.addEventListener('click', async () => {
    if (!session || !instance) return
    const s = session
    registerBtn.disabled = true
    setStatus(registerStatus, 'pending', 'waiting for the wallet to sign the key authorization (CIP-8)…')
    try {
      const secretKey = randomEd25519Key()
      const next = l2Signer({ account: s.account, secretKey })
      const r = await setup.client.register({ wallet: s.cip8, address: s.addressHex, l2Key: next.publicKey })
      localStorage.setItem(keyStorageName(instance.instance, s.account), toHex(secretKey))
      signer = next
      setStatus(registerStatus, 'ok', `registered at seq ${r.seq} with layer-2 key ${short(toHex(next.publicKey))}`)
      log(`registered ${short(s.account)} at seq ${r.seq}`, 'ok')
      await refresh(false)
    } catch (e) {
      fail(registerStatus, 'register', e)
      render()
    }
  })

  depositBtn.addEventListener('click', async () => {
    if (!session || !instance) return
    const s = session
    let amount: bigint
    try {
      amount = parseAda(depositAmount.value)
    } catch (e) {
      return fail(depositStatus, 'deposit', Object.assign(e as Error, { code: 'BAD_AMOUNT' }))
    }
    depositBtn.disabled = true
    depositSteps.reset()
    depositSteps.set(0, 'active')
    setStatus(depositStatus, 'pending', `depositing ${ada(amount)}…`)
    const started = Date.now()
    try {
      const { txHash, outRef } = await depositOnL1(setup, s.lucid, s.account, amount)
      depositSteps.set(0, 'done')
      depositSteps.set(1, 'done', `submitted: layer-1 tx ${txHash}`)
      depositSteps.set(2, 'active', `waiting for ${k} confirmations…`)
      log(`deposit of ${ada(amount)} submitted on layer 1: ${txHash}`)
      const credited = await watchDepositCredit(app, { txHash, outRef, owner: s.account, confirmations: k }, (text) => {
        depositSteps.set(2, 'active', text)
        setStatus(depositStatus, 'pending', `${text} (${Math.round((Date.now() - started) / 1000)} s)`)
      })
      depositSteps.set(2, 'done', `${k} confirmations reached`)
      depositSteps.set(3, 'done', `credited on layer 2 at seq ${credited.seq}`)
      setStatus(depositStatus, 'ok', `credited ${ada(amount)} at seq ${credited.seq}, ${Math.round((Date.now() - started) / 1000)} s after submitting`)
      log(`deposit credited at seq ${credited.seq}`, 'ok')
      await refresh(true)
    } catch (e) {
      depositSteps.failActive()
      fail(depositStatus, 'deposit', e)
    } finally {
      depositBtn.disabled = !session
    }
  })

  payBtn.addEventListener('click', async () => {
    if (!signer) return
    try {
      const to = (payToHex.value.trim() || payTo.value).toLowerCase()
      if (!/^[0-9a-f]{56}$/.test(to)) throw Object.assign(new Error('choose a recipient, or paste an account id of 56 hex digits'), { code: 'BAD_RECIPIENT' })
      const amount = parseAda(payAmount.value)
      payBtn.disabled = true
      setStatus(payStatus, 'pending', 'signing and sending…')
      const t0 = performance.now()
      const r = await setup.client.transfer({ signer, to: fromHex(to), amount })
      const ms = Math.round(performance.now() - t0)
      setStatus(payStatus, 'ok', `paid ${ada(amount)} to ${short(to)}: applied at seq ${r.seq} in ${ms} ms (tx ${short(r.txId)})`)
      log(`paid ${ada(amount)} to ${short(to)} at seq ${r.seq}`, 'ok')
      await refresh(false)
    } catch (e) {
      fail(payStatus, 'pay', e)
    } finally {
      render()
    }
  })

  withdrawBtn.addEventListener('click', async () => {
    if (!signer) return
    try {
      const amount = parseAda(withdrawAmount.value)
      withdrawBtn.disabled = true
      setStatus(withdrawStatus, 'pending', 'requesting…')
      const r = await setup.client.requestWithdrawal({ signer, amount })
      withdrawals.requested({ amount, requestedSeq: r.seq })
      withdrawStatus.dataset.seq = String(r.seq)
      delete withdrawStatus.dataset.done
      setStatus(withdrawStatus, 'pending', `requested at seq ${r.seq}: waiting for a batch to commit it, then for the payout on layer 1`)
      log(`withdrawal of ${ada(amount)} requested at seq ${r.seq}`)
      await refresh(false)
    } catch (e) {
      fail(withdrawStatus, 'withdraw', e)
    } finally {
      render()
    }
  })

  exodusBtn.addEventListener('click', async () => {
    if (!session) return
    const s = session
    exodusBtn.disabled = true
    exodusSteps.reset()
    try {
      exodusSteps.set(0, 'active')
      setStatus(exodusStatus, 'pending', 'stopping the operator…')
      const res = await fetch(`${setup.nodeUrl}/demo/exodus`, { method: 'POST' })
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string }
        throw Object.assign(new Error(body.message ?? `POST /demo/exodus: HTTP ${res.status}`), { code: body.code ?? 'HTTP_ERROR' })
      }
      exodusSteps.set(0, 'done', 'the operator stopped committing; the exodus timeout has passed on the devnet')
      exodusSteps.set(1, 'active')
      setStatus(exodusStatus, 'pending', 'freezing the anchor…')
      try {
        const f = await freezeOnL1(setup, s.lucid)
        exodusSteps.set(1, 'active', `freeze submitted (layer-1 tx ${f.txHash}): waiting for it to be in a block…`)
        await waitForL1Tx(setup, f.txHash)
        exodusSteps.set(1, 'done', `anchor frozen at batch #${f.batch} by layer-1 tx ${f.txHash}`)
        log(`anchor frozen: ${f.txHash}`, 'ok')
      } catch (e) {
        // Someone else (another wallet, an earlier click) may have frozen it already: that is fine.
        const { code, message } = describeError(e)
        if (code !== 'ANCHOR_FROZEN') throw e
        exodusSteps.set(1, 'done', `already frozen (${message})`)
      }
      exodusSteps.set(2, 'active')
      setStatus(exodusStatus, 'pending', 'withdrawing with a proof against the last root…')
      const before = await l1Balance(s.lucid).catch(() => undefined)
      const w = await exodusWithdrawOnL1(setup, s.lucid, s.account)
      exodusSteps.set(2, 'done', `${ada(w.amount)} paid on layer 1 by tx ${w.txHash}`)
      setStatus(exodusStatus, 'ok', `done: ${ada(w.amount)} — your whole layer-2 balance and pending exit — is back on layer 1 (tx ${w.txHash})`)
      log(`exodus withdraw of ${ada(w.amount)}: ${w.txHash}`, 'ok')
      await refresh(true)
      if (before !== undefined) log(`layer-1 balance was ${ada(before)}`)
    } catch (e) {
      exodusSteps.failActive()
      fail(exodusStatus, 'exodus', e)
      exodusBtn.disabled = false
    }
  })

  render()
}
