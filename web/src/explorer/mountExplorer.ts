import { ApiError, auditLog, checkCommitments, DEFAULT_LIMITS, fromHex, verifyEd25519Noble, type Account, type NodeState } from '../../../sdk/src/index.js'
import type { App } from '../App.js'
import type { BatchInfo } from '../stream/BatchStore.js'
import type { LogItem } from '../stream/LogTail.js'
import { byId, fill, h } from '../ui/dom.js'
import { describeError } from '../ui/describeError.js'
import { ada, short } from '../ui/format.js'
import { describeTask } from './describeTask.js'
import { LiveChart } from './LiveChart.js'

const LOG_ROWS = 200
const ACCOUNT_ROWS = 50

/**
 * The explorer tab: the tip, a live chart of throughput and queue depth (the stream's `stats`
 * events), the batches with their roots, log ranges and layer-1 txs, the live task log decoded with
 * the protocol core, the accounts it names, and an audit that replays the whole log in the browser.
 *
 * @example
 * mountExplorer(app, byId('panel-explorer'))
 */
export function mountExplorer(app: App, root: HTMLElement): void {
  const { setup } = app
  const tile = (id: string, label: string) => h('div', { class: 'card' }, h('div', { class: 'muted' }, label), h('div', { id, class: 'big' }, '—'))
  const canvas = h('canvas', { id: 'chart' })
  const chartNote = h('span', { id: 'chart-source', class: 'muted' }, 'waiting for stats…')
  const batchesBody = h('tbody')
  const logBody = h('tbody')
  const accountsBody = h('tbody')
  const auditBtn = h('button', { id: 'audit', class: 'action' }, 'Audit the log in this browser')
  const auditStatus = h('div', { id: 'audit-status', class: 'status' })
  const auditResult = h('dl', { id: 'audit-result', class: 'kv' })
  const table = (id: string, heads: string[], body: HTMLTableSectionElement) => h('div', { class: 'scroll' }, h('table', { id }, h('thead', {}, h('tr', {}, ...heads.map((t) => h('th', {}, t)))), body))

  fill(root, [
    h(
      'div',
      { class: 'tiles' },
      tile('tip-seq', 'task-log seq'),
      tile('tip-accounts', 'accounts'),
      tile('tip-batches', 'batches committed'),
      h('div', { class: 'card' }, h('div', { class: 'muted' }, 'state root'), h('div', { id: 'tip-root', class: 'mono' }, '—'), h('div', { class: 'muted' }, 'log head'), h('div', { id: 'tip-head', class: 'mono' }, '—')),
    ),
    h(
      'div',
      { class: 'grid' },
      h(
        'div',
        { class: 'card wide' },
        h('h2', {}, 'Throughput and queue depth', chartNote),
        h('div', { class: 'legend' }, h('span', {}, h('i', { style: 'background:#0b7a8a' }), 'transactions / s (left)'), h('span', {}, h('i', { style: 'background:#d9822b' }), 'queue depth (right)')),
        canvas,
      ),
      h('div', { class: 'card wide' }, h('h2', {}, 'Batches (roots committed on layer 1)'), table('batches', ['#', 'status', 'log range', 'state root', 'log head', 'layer-1 tx'], batchesBody)),
      h('div', { class: 'card wide' }, h('h2', {}, 'Task log (live)'), table('tasklog', ['seq', 'kind', 'signer / account', 'what', 'head'], logBody)),
      h('div', { class: 'card' }, h('h2', {}, 'Accounts'), table('accounts', ['account', 'balance', 'pending exit', 'nonce'], accountsBody)),
      h(
        'div',
        { class: 'card' },
        h('h2', {}, 'Audit'),
        h('p', { class: 'muted' }, 'Downloads the public task log, checks its hash chain and every signature (ed25519 and CIP-8), replays every task with the protocol core and compares the roots with every committed batch.'),
        h('div', { class: 'row' }, auditBtn),
        auditStatus,
        auditResult,
      ),
    ),
  ])

  // ---- tip
  let tip: NodeState | undefined
  const refreshTip = async () => {
    try {
      tip = await setup.client.getState()
      byId('tip-seq').textContent = tip.seq.toLocaleString('en-US')
      byId('tip-accounts').textContent = tip.accounts.toLocaleString('en-US')
      byId('tip-root').textContent = tip.root
      byId('tip-head').textContent = tip.logHead
    } catch {
      // the next tick retries; the header shows the stream's state
    }
  }
  setInterval(() => void refreshTip(), 2000)
  void refreshTip()

  // ---- chart: the stream's stats; without them (an older node), throughput from /state polling
  const chart = new LiveChart(canvas)
  app.stream.on('stats', (s) => {
    chartNote.textContent = `live: ${s.tps.toLocaleString('en-US')} tx/s, queue ${s.queueDepth}`
    chart.push({ time: s.time, tps: s.tps, queueDepth: s.queueDepth })
  })
  let prev: { time: number; seq: number } | undefined
  setInterval(() => {
    const last = app.stream.lastSeen.get('stats')
    if (last !== undefined && Date.now() - last < 3000) return
    if (!tip) return
    const now = Date.now()
    if (prev && now > prev.time) {
      const tps = ((tip.seq - prev.seq) * 1000) / (now - prev.time)
      chartNote.textContent = `from /state polling (no stats events): ${tps.toFixed(1)} tasks/s`
      chart.push({ time: now, tps: Math.max(0, tps), queueDepth: 0 })
    }
    prev = { time: now, seq: tip.seq }
  }, 1000)

  // ---- batches
  app.batches.onChange((all: BatchInfo[]) => {
    byId('tip-batches').textContent = String(all.filter((b) => b.status === 'confirmed').length)
    fill(
      batchesBody,
      all
        .slice()
        .reverse()
        .slice(0, 200)
        .map((b) =>
          h(
            'tr',
            { 'data-batch': b.number, 'data-status': b.status },
            h('td', {}, String(b.number)),
            h('td', {}, h('span', { class: `tag ${b.status}` }, b.status)),
            h('td', {}, `${b.firstSeq}–${b.lastSeq}`),
            h('td', { class: 'mono', title: b.root }, short(b.root, 12)),
            h('td', { class: 'mono', title: b.logHead }, short(b.logHead)),
            h('td', { class: 'mono' }, b.l1Tx ?? '—'),
          ),
        ),
    )
  })

  // ---- task log and accounts
  const known = new Map<string, number>() // account → last seq it appeared at
  app.tail.onEntries((items: LogItem[]) => {
    const rows = items
      .slice(-LOG_ROWS)
      .reverse()
      .map((it) => {
        const d = describeTask(it.task, it.error)
        for (const a of d.accounts) known.set(a, it.seq)
        return h(
          'tr',
          { class: 'fresh', 'data-seq': it.seq, 'data-kind': d.kind },
          h('td', {}, String(it.seq)),
          h('td', {}, h('span', { class: `tag ${d.kind}` }, d.kind)),
          h('td', { class: 'mono', title: d.who }, short(d.who)),
          h('td', {}, d.what),
          h('td', { class: 'mono', title: it.head }, short(it.head)),
        )
      })
    // Accounts seen in older entries of this page too.
    for (const it of items.slice(0, -LOG_ROWS)) for (const a of describeTask(it.task, it.error).accounts) known.set(a, it.seq)
    logBody.prepend(...rows)
    while (logBody.children.length > LOG_ROWS) logBody.lastElementChild!.remove()
    accountsDirty = true
  })

  let accountsDirty = true
  setInterval(async () => {
    if (!accountsDirty) return
    accountsDirty = false
    const ids = [...known.entries()].sort((a, b) => b[1] - a[1]).slice(0, ACCOUNT_ROWS).map(([id]) => id)
    const got = await Promise.all(
      ids.map((id) =>
        setup.client.getAccount({ account: id }).catch((e: unknown) => {
          if (!(e instanceof ApiError && e.code === 'NOT_FOUND')) accountsDirty = true
          return undefined
        }),
      ),
    )
    fill(
      accountsBody,
      got
        .filter((a): a is Account => a !== undefined)
        .sort((a, b) => a.index - b.index)
        .map((a) =>
          h(
            'tr',
            { 'data-account': a.id },
            h('td', { class: 'mono', title: a.id }, short(a.id), a.id === setup.instance?.operatorAccount ? h('span', { class: 'tag' }, 'operator') : null, a.l2Key ? null : h('span', { class: 'tag' }, 'unregistered')),
            h('td', {}, ada(a.balance)),
            h('td', {}, a.pendingExit > 0n ? ada(a.pendingExit) : '—'),
            h('td', {}, String(a.nonce)),
          ),
        ),
    )
  }, 3000)

  // ---- audit
  auditBtn.addEventListener('click', async () => {
    const instance = setup.instance
    if (!instance) return void (auditStatus.textContent = 'NO_L1: the node does not say which instance it runs')
    auditBtn.disabled = true
    fill(auditResult, [])
    auditStatus.className = 'status pending'
    auditStatus.textContent = 'downloading and replaying the log…'
    try {
      const batches = app.batches.all().filter((b) => b.status === 'confirmed')
      const ctx = {
        params: { instance: fromHex(instance.instance), operator: fromHex(instance.operatorAccount), terms: fromHex(instance.terms), limits: DEFAULT_LIMITS },
        hash: setup.hash,
        verifyEd25519: verifyEd25519Noble,
      }
      const r = await auditLog({
        client: setup.client,
        ctx,
        rootsAt: batches.map((b) => b.lastSeq),
        onProgress: (p) => (auditStatus.textContent = `replayed ${p.seq.toLocaleString('en-US')} of ${p.tipSeq.toLocaleString('en-US')} tasks, ${p.signaturesChecked} signatures…`),
      })
      const commitments = batches.filter((b) => b.lastSeq <= r.seq).map((b) => ({ batch: b.number, seq: b.lastSeq, head: b.logHead, root: b.root }))
      const cc = r.ok ? checkCommitments(r, commitments) : undefined
      const state = await setup.client.getState().catch(() => undefined)
      const rows: [string, string, string?][] = [
        ['tasks replayed', `${r.tasks.toLocaleString('en-US')} (tx ${r.byKind.tx}, register ${r.byKind.register}, deposit ${r.byKind.deposit}, exit paid ${r.byKind.exitPaid}, rotate ${r.byKind.rotate})`],
        ['signatures checked', r.signaturesChecked.toLocaleString('en-US')],
        ['replayed root', r.root, 'audit-root'],
        ['log head', r.head],
        ['time', `${r.elapsedMs} ms (${Math.round(r.tasksPerSecond).toLocaleString('en-US')} tasks/s)`],
      ]
      if (cc) rows.push(['batches checked', cc.ok ? `${cc.checked} of ${commitments.length}: every committed root and log head matches the replay` : cc.divergence.message, 'audit-batches'])
      if (state && state.seq === r.seq) rows.push(['node’s root', state.root === r.root ? 'equal to the replayed root' : `DIFFERENT: ${state.root}`])
      fill(auditResult, rows.flatMap(([k, v, id]) => [h('dt', {}, k), h('dd', { class: 'mono', ...(id ? { id } : {}) }, v)]))
      const good = r.ok && (!cc || cc.ok)
      auditStatus.className = `status ${good ? 'ok' : 'error'}`
      auditStatus.textContent = good
        ? `audit passed: ${r.tasks} tasks up to seq ${r.seq} replay to the node's roots`
        : `AUDIT FAILED — ${!r.ok ? `${r.divergence.kind} at seq ${r.divergence.seq}: ${r.divergence.message}` : cc && !cc.ok ? cc.divergence.message : ''}`
    } catch (e) {
      const { code, message } = describeError(e)
      auditStatus.className = 'status error'
      auditStatus.textContent = `audit failed — ${code}: ${message}`
    } finally {
      auditBtn.disabled = false
    }
  })
}
