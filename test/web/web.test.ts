/**
 * The web wallet and explorer end to end, in Debian's headless Chromium (driven by `playwright-core`),
 * against the whole system as `npm start` runs it (`startLagoon` on free ports: the strict devnet with
 * its Blockfrost API, the node, and the page on the node's port). Through the page only: pick a demo
 * wallet, register it (CIP-8 signed in the page), deposit on layer 1 (Lucid in the page, through the
 * devnet's Blockfrost API), see the credit after the confirmations, pay another account, request a
 * withdrawal and see it paid on layer 1; then the explorer shows the batch with its root, log range and
 * layer-1 tx, the decoded log, the accounts, the live chart, and an audit replayed in the page. Every
 * step asserts on what the page shows, and checks it against the node and the chain from Node.
 *
 * `LAGOON_SCREENSHOTS=1` also writes docs/wallet.png and docs/explorer.png.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CML, utxoToCore } from '@lucid-evolution/lucid'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { accountOfAddress, createLagoonClient, fromHex, privateKeyWallet, toHex, type LagoonClient } from '../../sdk/src/index.js'
import { connectLucid } from '../../sdk/src/client/layer1.js'
import { buildWeb, isWebStale } from '../../web/build.js'
import { startLagoon } from '../../scripts/start/startLagoon.js'
import { fundAccounts } from '../../scripts/start/load/fundAccounts.js'
import { runLoad } from '../../scripts/start/load/runLoad.js'

const CHROMIUM = '/usr/bin/chromium'
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SCREENSHOTS = process.env.LAGOON_SCREENSHOTS === '1'
const ADA = 1_000_000n

type Lagoon = Awaited<ReturnType<typeof startLagoon>>

/** The Lagoon account of a key address; null for a script address (the anchor). */
function accountOfBech32(address: string): string | null {
  try {
    return toHex(accountOfAddress(CML.Address.from_bech32(address).to_hex()))
  } catch {
    return null
  }
}

describe('the web wallet and explorer in headless Chromium, on the whole system', () => {
  let lagoon: Lagoon
  let dir: string
  let profile: string
  let context: BrowserContext
  let page: Page
  let client: LagoonClient
  const pageErrors: string[] = []
  const requested: string[] = []
  // The page asks for accounts that do not exist yet (404) and the error test provokes 4xx answers: the
  // browser logs those as console errors. Anything else (an exception, a 5xx) fails the test.
  const realErrors = () => pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e))
  let alice: string
  let bob: string
  let paidTx = ''
  /** What startLagoon logged (printed when a step fails). */
  const nodeLines: string[] = []

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y --no-install-recommends chromium); .ci/run does this before npm ci`)
    }
    if (isWebStale()) await buildWeb()
    dir = mkdtempSync(join(tmpdir(), 'lagoon-web-'))
    lagoon = await startLagoon({ port: 0, dbPath: join(dir, 'node.sqlite'), confirmations: 5, batchIntervalMs: 3000, log: (line) => nodeLines.push(line) })
    client = createLagoonClient({ url: lagoon.nodeUrl })
    expect(lagoon.demoWallets.length).toBeGreaterThanOrEqual(2)
    alice = accountOfBech32(lagoon.demoWallets[0]!.address)!
    bob = accountOfBech32(lagoon.demoWallets[1]!.address)!
    profile = mkdtempSync(join(tmpdir(), 'lagoon-chromium-'))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('request', (r) => requested.push(new URL(r.url()).pathname))
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text())
    })
  }, 180_000)

  // On a failure, what the page and the node said last.
  beforeEach(({ onTestFailed }) => {
    onTestFailed(async () => {
      console.log(`startLagoon's last lines:\n${nodeLines.slice(-30).join('\n')}`)
      console.log(`the page's activity:\n${(await page?.textContent('#activity').catch(() => '')) ?? ''}`)
    })
  })

  afterAll(async () => {
    await context?.close()
    await lagoon?.stop()
    for (const d of [profile, dir]) if (d) rmSync(d, { recursive: true, force: true })
  })

  /** Picks a demo wallet in the page and connects it; checks the page shows its account. */
  async function connect(index: number, account: string) {
    await page.selectOption('#wallet-select', `demo:${index}`)
    await page.click('#connect')
    await expect.poll(() => page.textContent('#wallet-account'), { timeout: 30_000 }).toBe(account)
    await expect.poll(() => page.textContent('#connect-status')).toContain('connected')
  }

  async function register() {
    await page.click('#register')
    await expect.poll(() => page.textContent('#register-status'), { timeout: 30_000 }).toMatch(/registered at seq \d+/)
  }

  it('loads the page from the node, with the instance and the live stream', async () => {
    await page.goto(lagoon.webUrl)
    await page.waitForFunction(() => {
      const p = (window as unknown as { lagoonPage?: { ready: boolean; error?: string } }).lagoonPage
      return p?.ready === true || p?.error !== undefined
    }, undefined, { timeout: 60_000 })
    expect(await page.evaluate(() => (window as unknown as { lagoonPage?: { error?: string } }).lagoonPage?.error ?? null)).toBeNull()
    expect(await page.textContent('#node-info')).toContain(`instance ${lagoon.instance.slice(0, 8)}`)
    await expect.poll(() => page.textContent('#stream-status'), { timeout: 15_000 }).toBe('stream: live')
    const options = await page.$$eval('#wallet-select option', (os) => os.map((o) => (o as HTMLOptionElement).value))
    expect(options).toEqual(lagoon.demoWallets.map((_, i) => `demo:${i}`))
    // Lucid and its UPLC evaluator load with the first wallet, not with the page.
    expect(requested.some((p) => p.startsWith('/assets/app.js'))).toBe(true)
    expect(requested.filter((p) => /uplc_tx_bg|WalletSession/.test(p))).toEqual([])
  }, 90_000)

  it('registers, deposits, sees the credit after the confirmations, pays, and sees a withdrawal paid on layer 1', async () => {
    // The recipient first: a registered account (a transfer to an unknown account is refused).
    await connect(1, bob)
    expect(requested.filter((p) => /uplc_tx_bg/.test(p)).length).toBe(1)
    await register()
    expect((await client.getAccount({ account: bob })).l2Key).toMatch(/^[0-9a-f]{64}$/)

    await connect(0, alice)
    await register()
    const registered = await client.getAccount({ account: alice })
    expect(registered.l2Key).toBeDefined()
    await expect.poll(() => page.textContent('#registered'), { timeout: 10_000 }).toContain(`yes, key ${registered.l2Key!.slice(0, 8)}`)

    // Deposit 25 ADA on layer 1 from the page; the page follows it to the credit.
    const l1Before = await page.textContent('#l1-balance')
    await page.fill('#deposit-amount', '25')
    await page.click('#deposit')
    await expect.poll(() => page.textContent('#deposit-steps'), { timeout: 60_000 }).toMatch(/submitted: layer-1 tx [0-9a-f]{64}/)
    const depositTx = /layer-1 tx ([0-9a-f]{64})/.exec((await page.textContent('#deposit-steps'))!)![1]!
    // The countdown of confirmations shows while the deposit waits.
    await expect.poll(() => page.textContent('#deposit-status'), { timeout: 60_000 }).toMatch(/[0-4]\/5 confirmations, [1-5] more blocks? to go/)
    await expect.poll(() => page.textContent('#deposit-status'), { timeout: 120_000, interval: 250 }).toMatch(/credited 25 ₳ at seq \d+/)
    await expect.poll(() => page.textContent('#l2-balance'), { timeout: 10_000 }).toBe('25 ₳')
    const credited = await client.getAccount({ account: alice })
    expect(credited.balance).toBe(25n * ADA)
    const log = (await client.getLogPage({ from: 1, limit: 1000 })).entries.length
    expect(log).toBeGreaterThanOrEqual(3)
    // The deposit is on the devnet's chain, seen through its Blockfrost API.
    const tx = (await (await fetch(`${lagoon.l1Url}/txs/${depositTx}`)).json()) as { hash: string; block_height: number }
    expect(tx.hash).toBe(depositTx)
    await expect.poll(() => page.textContent('#l1-balance'), { timeout: 15_000 }).not.toBe(l1Before)

    // Pay bob 5 ADA.
    await page.selectOption('#pay-to', bob)
    await page.fill('#pay-amount', '5')
    await page.click('#pay')
    await expect.poll(() => page.textContent('#pay-status'), { timeout: 30_000 }).toMatch(/paid 5 ₳ to [0-9a-f]{8}…[0-9a-f]{4}: applied at seq \d+ in \d+ ms/)
    await expect.poll(() => page.textContent('#l2-balance'), { timeout: 10_000 }).toBe('20 ₳')
    expect((await client.getAccount({ account: bob })).balance).toBe(5n * ADA)
    expect((await client.getAccount({ account: alice })).balance).toBe(20n * ADA)

    // Withdraw 3 ADA: requested → committed → paid on layer 1, with the payout's tx hash.
    await page.fill('#withdraw-amount', '3')
    await page.click('#withdraw')
    await expect.poll(() => page.textContent('#withdraw-status'), { timeout: 30_000 }).toMatch(/requested at seq \d+|paid on layer 1/)
    expect((await client.getAccount({ account: alice })).pendingExit + (await client.getAccount({ account: alice })).balance).toBeLessThanOrEqual(20n * ADA)
    await expect.poll(() => page.getAttribute('#withdrawals tbody tr:last-child', 'data-status'), { timeout: 180_000, interval: 250 }).toBe('paid')
    await expect.poll(() => page.textContent('#withdraw-status'), { timeout: 10_000 }).toMatch(/paid on layer 1 by tx [0-9a-f]{64}/)
    paidTx = (await page.textContent('#withdrawals tbody tr:last-child td:last-child'))!.trim()
    expect(paidTx).toMatch(/^[0-9a-f]{64}$/)
    // The payout is a real layer-1 tx that pays alice's address 3 ADA.
    const utxos = (await (await fetch(`${lagoon.l1Url}/txs/${paidTx}/utxos`)).json()) as { outputs: { address: string; amount: { unit: string; quantity: string }[] }[] }
    const toAlice = utxos.outputs.filter((o) => accountOfBech32(o.address) === alice)
    expect(toAlice.some((o) => o.amount.some((a) => a.unit === 'lovelace' && BigInt(a.quantity) === 3n * ADA))).toBe(true)
    const after = await client.getAccount({ account: alice })
    expect(after.balance).toBe(17n * ADA)
    expect(after.pendingExit).toBe(0n)
    await expect.poll(() => page.textContent('#l2-details'), { timeout: 10_000 }).toContain('pending exit 0 ₳')
    expect(await page.textContent('#l2-balance')).toBe('17 ₳')

    if (SCREENSHOTS) await page.screenshot({ path: join(ROOT, 'docs/wallet.png'), fullPage: true })
    expect(realErrors()).toEqual([])
  }, 420_000)

  it('the explorer shows the batches with roots and layer-1 txs, the decoded log, the accounts, the live chart and an audit', async () => {
    await page.click('#tab-explorer')
    expect(await page.isVisible('#panel-explorer')).toBe(true)

    // Batches: the node's confirmed batches, with their roots, log ranges and layer-1 tx hashes.
    const batches = (await client.request<{ number: number; root: string; firstSeq: number; lastSeq: number; l1Tx: string | null; status: string }[]>({ method: 'GET', path: '/batches' })).filter((b) => b.status === 'confirmed')
    expect(batches.length).toBeGreaterThanOrEqual(1)
    const last = batches[batches.length - 1]!
    const row = `#batches tr[data-batch="${last.number}"]`
    await expect.poll(() => page.getAttribute(row, 'data-status'), { timeout: 15_000 }).toBe('confirmed')
    const cells = await page.$$eval(`${row} td`, (tds) => tds.map((td) => ({ text: td.textContent ?? '', title: td.getAttribute('title') })))
    expect(cells[2]!.text).toBe(`${last.firstSeq}–${last.lastSeq}`)
    expect(cells[3]!.title).toBe(last.root)
    expect(cells[5]!.text).toBe(last.l1Tx)

    // The task log, decoded: registrations, the deposit, the transfer and withdrawal, the exit paid.
    const kinds = await page.$$eval('#tasklog tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-kind')))
    for (const k of ['register', 'deposit', 'tx', 'exitPaid']) expect(kinds).toContain(k)
    const texts = await page.$$eval('#tasklog tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''))
    expect(texts.some((t) => t.includes('+25 ₳ from layer-1'))).toBe(true)
    expect(texts.some((t) => t.includes(`5 ₳ → ${bob.slice(0, 8)}`))).toBe(true)
    expect(texts.some((t) => t.includes('withdraw 3 ₳'))).toBe(true)
    expect(texts.some((t) => t.includes(`3 ₳ paid on layer 1 by ${paidTx.slice(0, 8)}`))).toBe(true)

    // Accounts with their balances.
    await expect.poll(() => page.textContent(`#accounts tr[data-account="${alice}"]`), { timeout: 10_000 }).toContain('17 ₳')
    await expect.poll(() => page.textContent(`#accounts tr[data-account="${bob}"]`), { timeout: 10_000 }).toContain('5 ₳')

    // The live chart is fed by the stream's stats events: under a load of signed transfers it moves.
    await expect.poll(() => page.textContent('#chart-source'), { timeout: 10_000 }).toMatch(/^live: /)
    const { client: loadClient, accounts } = await fundAccounts({ nodeUrl: lagoon.nodeUrl, count: 8, depositLovelace: 100n * ADA, log: () => {} })
    const seenTps: number[] = []
    const watchChart = setInterval(() => {
      void page.textContent('#chart-source').then((t) => {
        const m = /^live: ([\d,]+) tx\/s/.exec(t ?? '')
        if (m) seenTps.push(Number(m[1]!.replace(/,/g, '')))
      }, () => undefined)
    }, 250)
    const load = await runLoad({ client: loadClient, accounts, rate: 150, durationS: 6, log: () => {} })
    await new Promise((r) => setTimeout(r, 1500))
    clearInterval(watchChart)
    expect(load.ok).toBeGreaterThan(0)
    expect(Math.max(...seenTps)).toBeGreaterThan(0)
    await expect.poll(() => page.textContent('#tip-seq'), { timeout: 10_000 }).toBe((await client.getState()).seq.toLocaleString('en-US'))

    // The audit replays the whole log in the page and checks every committed root.
    await page.click('#audit')
    await expect.poll(() => page.textContent('#audit-status'), { timeout: 60_000 }).toMatch(/audit passed: \d+ tasks up to seq \d+/)
    const state = await client.getState()
    const auditedSeq = Number(/up to seq (\d+)/.exec((await page.textContent('#audit-status'))!)![1])
    if (auditedSeq === state.seq) expect(await page.textContent('#audit-root')).toBe(state.root)
    expect(await page.textContent('#audit-batches')).toMatch(/^\d+ of \d+: every committed root and log head matches the replay/)

    if (SCREENSHOTS) {
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: join(ROOT, 'docs/explorer.png'), fullPage: true })
    }
    expect(realErrors()).toEqual([])
  }, 240_000)

  it('shows a node error with its code in the page', async () => {
    await page.click('#tab-wallet')
    await page.fill('#pay-to-hex', 'ab'.repeat(28))
    await page.fill('#pay-amount', '1')
    await page.click('#pay')
    await expect.poll(() => page.textContent('#pay-status'), { timeout: 15_000 }).toMatch(/pay failed — UNKNOWN_RECIPIENT: /)
    await page.fill('#pay-to-hex', '')
    await page.fill('#pay-amount', '1000')
    await page.click('#pay')
    await expect.poll(() => page.textContent('#pay-status'), { timeout: 15_000 }).toMatch(/pay failed — INSUFFICIENT_BALANCE: /)
    await page.fill('#deposit-amount', 'lots')
    await page.click('#deposit')
    await expect.poll(() => page.textContent('#deposit-status')).toMatch(/deposit failed — BAD_AMOUNT: "lots" is not an amount of ADA/)
    expect(realErrors()).toEqual([])
  }, 60_000)

  it('connects a CIP-30 wallet when the browser has one: registers with its signData and deposits with its signTx', async () => {
    // A CIP-30 wallet backed by carol's key, living in Node: the page calls it through window.cardano
    // exactly as an extension's API (hex CBOR in and out); every call is counted.
    const carol = lagoon.demoWallets[2]!
    const lucid = await connectLucid({ url: lagoon.l1Url, projectId: 'devnet', network: 'Custom', walletKey: carol.privateKey })
    const addressHex = CML.Address.from_bech32(carol.address).to_hex()
    const calls: string[] = []
    const api: Record<string, (...a: string[]) => Promise<unknown>> = {
      getNetworkId: async () => 0,
      getUsedAddresses: async () => [addressHex],
      getUnusedAddresses: async () => [],
      getChangeAddress: async () => addressHex,
      getRewardAddresses: async () => [],
      getUtxos: async () => (await lucid.wallet().getUtxos()).map((u) => utxoToCore(u).to_cbor_hex()),
      getCollateral: async () => [],
      signTx: async (tx) => (await lucid.wallet().signTx(CML.Transaction.from_cbor_hex(tx))).to_cbor_hex(),
      signData: async (addr, payload) => privateKeyWallet(carol.privateKey).signData(addr, payload),
      submitTx: async (tx) => lucid.wallet().submitTx(tx),
    }
    const cip30Page = await context.newPage()
    cip30Page.on('pageerror', (e) => pageErrors.push(e.message))
    await cip30Page.exposeFunction('__testWallet', async (method: string, args: string[]) => {
      calls.push(method)
      return api[method]!(...args)
    })
    await cip30Page.addInitScript(() => {
      const call = (window as unknown as { __testWallet: (m: string, a: unknown[]) => Promise<unknown> }).__testWallet
      const methods = ['getNetworkId', 'getUsedAddresses', 'getUnusedAddresses', 'getChangeAddress', 'getRewardAddresses', 'getUtxos', 'getCollateral', 'signTx', 'signData', 'submitTx']
      const api = Object.fromEntries(methods.map((m) => [m, (...a: unknown[]) => call(m, a)]))
      ;(window as unknown as { cardano: unknown }).cardano = { testwallet: { name: 'Test wallet', apiVersion: '0.1.0', icon: '', enable: async () => api, isEnabled: async () => true } }
    })
    try {
      await cip30Page.goto(lagoon.webUrl)
      await cip30Page.waitForFunction(() => (window as unknown as { lagoonPage?: { ready: boolean } }).lagoonPage?.ready === true, undefined, { timeout: 60_000 })
      expect(await cip30Page.$$eval('#wallet-select option', (os) => os.map((o) => o.textContent))).toContain('Test wallet (CIP-30)')
      await cip30Page.selectOption('#wallet-select', 'cip30:testwallet')
      await cip30Page.click('#connect')
      const carolAccount = accountOfBech32(carol.address)!
      await expect.poll(() => cip30Page.textContent('#wallet-account'), { timeout: 30_000 }).toBe(carolAccount)
      expect(await cip30Page.textContent('#wallet-label')).toBe('Test wallet')
      await cip30Page.click('#register')
      await expect.poll(() => cip30Page.textContent('#register-status'), { timeout: 30_000 }).toMatch(/registered at seq \d+/)
      expect(calls).toContain('signData')
      await cip30Page.fill('#deposit-amount', '12')
      await cip30Page.click('#deposit')
      await expect.poll(() => cip30Page.textContent('#deposit-status'), { timeout: 120_000, interval: 250 }).toMatch(/credited 12 ₳ at seq \d+|deposit failed/)
      const tail = await cip30Page.evaluate(() => {
        const t = (window as unknown as { lagoonPage: { app: { tail: { items: { seq: number }[]; tipSeq: number; lastError?: { message?: string } } } } }).lagoonPage.app.tail
        return { items: t.items.length, last: t.items[t.items.length - 1]?.seq, tip: t.tipSeq, error: t.lastError?.message ?? null }
      })
      expect(await cip30Page.textContent('#deposit-status'), JSON.stringify(tail)).toMatch(/^credited 12 ₳/)
      expect(calls).toEqual(expect.arrayContaining(['getUtxos', 'signTx', 'submitTx']))
      expect((await client.getAccount({ account: carolAccount })).balance).toBe(12n * ADA)
    } finally {
      await cip30Page.close()
    }
    expect(realErrors()).toEqual([])
  }, 180_000)

  it('shows a payout the node records but layer 1 never made as "recorded, not seen on layer 1", never "paid" (issue 14)', async () => {
    await connect(1, bob)
    const node = lagoon.node
    await node.l1!.stop() // no batch while the operator plays its trick
    const fake = 'f2'.repeat(32)
    try {
      await page.fill('#withdraw-amount', '2')
      await page.click('#withdraw')
      await expect.poll(() => page.textContent('#withdraw-status'), { timeout: 30_000 }).toMatch(/requested at seq \d+/)
      // The operator records Bob's exit as paid by a tx that does not exist: the node now says "paid".
      await node.sequencer.submitTask({ kind: 'exitPaid', account: fromHex(bob), amount: 2n * ADA, txHash: fromHex(fake) })
      expect(await client.getWithdrawalStatus({ account: bob })).toMatchObject({ status: 'paid', paidTx: fake })
    } finally {
      node.l1!.start()
    }
    await expect.poll(() => page.getAttribute('#withdrawals tbody tr:last-child', 'data-status'), { timeout: 30_000 }).toBe('recorded')
    await expect.poll(() => page.textContent('#withdraw-status'), { timeout: 30_000 }).toContain(`recorded by the node as paid, not seen on layer 1 yet: layer 1 does not know tx ${fake}`)
    expect(await page.textContent('#withdrawals tbody tr:last-child')).toContain('recorded, not seen on layer 1')
    await new Promise((r) => setTimeout(r, 3000)) // and it stays so
    expect(await page.getAttribute('#withdrawals tbody tr:last-child', 'data-status')).toBe('recorded')
    expect(await page.textContent('#withdraw-status')).not.toContain('paid on layer 1 by')
    await connect(0, alice)
    expect(realErrors()).toEqual([])
  }, 120_000)

  it('runs the exodus demo: the operator stops, the page freezes the anchor and takes the whole balance out on layer 1', async () => {
    const before = await client.getAccount({ account: alice })
    expect(before.balance).toBe(17n * ADA)
    await page.click('#exodus')
    await expect.poll(() => page.textContent('#exodus-status'), { timeout: 120_000, interval: 250 }).toMatch(/done: 17 ₳ — your whole layer-2 balance and pending exit — is back on layer 1 \(tx [0-9a-f]{64}\)|exodus failed/)
    const status = (await page.textContent('#exodus-status'))!
    expect(status, (await page.textContent('#exodus-steps')) ?? '').toMatch(/^done: /)
    const steps = (await page.textContent('#exodus-steps'))!
    expect(steps).toMatch(/anchor frozen at batch #\d+ by layer-1 tx [0-9a-f]{64}/)
    // The exodus payout is on layer 1: 17 ADA to alice's address.
    const exodusTx = /\(tx ([0-9a-f]{64})\)/.exec(status)![1]!
    // Submitted to the mempool: in a block within a second or two.
    await expect.poll(async () => (await fetch(`${lagoon.l1Url}/txs/${exodusTx}/utxos`)).status, { timeout: 15_000 }).toBe(200)
    const utxos = (await (await fetch(`${lagoon.l1Url}/txs/${exodusTx}/utxos`)).json()) as { outputs: { address: string; amount: { unit: string; quantity: string }[] }[] }
    expect(utxos.outputs.some((o) => accountOfBech32(o.address) === alice && o.amount.some((a) => a.unit === 'lovelace' && BigInt(a.quantity) === 17n * ADA))).toBe(true)
    expect(realErrors()).toEqual([])
  }, 180_000)
})
