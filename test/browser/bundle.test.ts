/**
 * The browser bundle (`npm run build:browser` → `sdk/dist/lagoon.browser.js`) loads in headless
 * Chromium (Debian's `chromium`, driven by `playwright-core`) and signs a transfer there: the page
 * generates a layer-2 key, registers it with a CIP-8 signature made in the browser, builds and signs a
 * transfer with the bundle and submits it with `createLagoonClient` to a real node (proxied through
 * the page's own origin). Node then decodes the transaction with the core, checks its id and verifies
 * its signature with `node:crypto`.
 *
 * Set `LAGOON_SCREENSHOT=docs/browser-bundle.png` to refresh the screenshot in the docs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode, type TestNode } from '../../sequencer/test/support/harness.js'
import { buildBrowserBundle } from '../../sdk/browser/build.js'
import { bytesEqual, createLagoonClient, DEFAULT_LIMITS, decodeSignedTx, fromHex, loadBlake2b256, privateKeyWallet, toHex } from '../../sdk/src/index.js'
import { createNodeEd25519Verify } from '../../sdk/src/node/index.js'
import { INSTANCE, TERMS, l1Hash, user } from '../../sdk/test/support/world.js'

const CHROMIUM = '/usr/bin/chromium'
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const PAGE_DIR = join(ROOT, 'test/browser/page')
const DIST_DIR = join(ROOT, 'sdk/dist')
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' }

/** Serves the page and the bundle, and forwards `/node/*` to the node (same origin: no CORS needed). */
function staticServer(nodeUrl: string): Promise<{ server: Server; url: string }> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path.startsWith('/node/')) {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const headers: Record<string, string> = {}
      for (const h of ['authorization', 'content-type', 'accept']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h] as string
      const body = chunks.length ? Buffer.concat(chunks) : undefined
      const r = await fetch(nodeUrl + req.url!.slice('/node'.length), { method: req.method!, headers, ...(body ? { body } : {}) })
      const out: Record<string, string> = {}
      r.headers.forEach((v, k) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(k)) out[k] = v
      })
      res.writeHead(r.status, out).end(Buffer.from(await r.arrayBuffer()))
      return
    }
    if (path === '/favicon.ico') return void res.writeHead(204).end()
    const name = path === '/' ? 'index.html' : path.slice(1)
    if (name.includes('/') || name.includes('..')) return void res.writeHead(404).end()
    const file = [join(PAGE_DIR, name), join(DIST_DIR, name)].find((f) => existsSync(f))
    if (!file) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
  }
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(502)
      res.end(String(e))
    })
  })
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })))
}

describe('the browser bundle in headless Chromium', () => {
  let node: TestNode
  let web: { server: Server; url: string }
  let profile: string
  let context: BrowserContext
  let page: Page
  const pageErrors: string[] = []
  let bundleBytes = 0

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y --no-install-recommends chromium); .ci/run does this before npm ci`)
    }
    bundleBytes = (await buildBrowserBundle()).bytes
    node = await startTestNode()
    web = await staticServer(node.url)
    profile = mkdtempSync(join(tmpdir(), 'lagoon-chromium-'))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1000, height: 560 },
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('requestfailed', (r) => pageErrors.push(`request failed: ${r.url()}`))
    page.on('response', (r) => {
      if (r.status() >= 400) pageErrors.push(`HTTP ${r.status()}: ${r.url()}`)
    })
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text())
    })
  }, 120_000)

  afterAll(async () => {
    await context?.close()
    await new Promise<void>((ok) => (web ? web.server.close(() => ok()) : ok()))
    await node?.stop()
    if (profile) rmSync(profile, { recursive: true, force: true })
  })

  it('loads the ESM bundle with its WebAssembly and exposes the SDK', async () => {
    expect(bundleBytes).toBeGreaterThan(0)
    await page.goto(web.url + '/')
    await page.waitForFunction(() => (window as unknown as { lagoonReady?: boolean }).lagoonReady === true, undefined, { timeout: 30_000 })
    const names = await page.evaluate(() => (window as unknown as { lagoonApp: { exports: string[] } }).lagoonApp.exports)
    for (const name of [
      'buildSignedTx',
      'encodeSignedTx',
      'decodeSignedTx',
      'loadBlake2b256',
      'verifyEd25519Noble',
      'ed25519PublicKey',
      'randomEd25519Key',
      'MemoryLedger',
      'apply',
      'createLagoonClient',
      'generateL2Signer',
      'l2Signer',
      'verifyKeyAuthorization',
      'auditLog',
    ]) {
      expect(names, name).toContain(name)
    }
    expect(pageErrors).toEqual([])
  })

  it('generates a layer-2 key, signs a transfer in the page and submits it to a real node', async () => {
    const hash = await loadBlake2b256()
    const [alice, bob] = [user(41), user(42)]
    // Funds for alice (a credited deposit) and a registered recipient, set up from Node.
    await node.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(4101), index: 0, owner: alice.account, amount: 20_000_000n })
    await createClientInNode().register({ wallet: privateKeyWallet(bob.walletKey), address: bob.addressHex, l2Key: bob.l2Key })

    const params = {
      nodePath: '/node',
      token: node.tokens.wallet,
      instance: toHex(INSTANCE),
      terms: toHex(TERMS),
      account: toHex(alice.account),
      address: alice.addressHex,
      walletKey: alice.walletKey,
      to: toHex(bob.account),
      amount: '7000000',
    }
    const r = await page.evaluate(
      (p) => (window as unknown as { lagoonApp: { run(p: unknown): Promise<PageResult> } }).lagoonApp.run(p),
      params,
    )
    expect(r.userAgent).toMatch(/HeadlessChrome|Chrome/)
    expect(r.cip8Ok).toBe(true)
    expect(r.selfCheck).toBe(true)
    expect(r.roundTrip).toBe(true)

    // Node decodes what the browser signed with the same core, and checks it with node:crypto.
    const tx = decodeSignedTx(fromHex(r.txHex), hash, DEFAULT_LIMITS)
    expect(toHex(tx.id)).toBe(r.txId)
    expect(bytesEqual(tx.id, hash(tx.bodyBytes))).toBe(true)
    expect(createNodeEd25519Verify()(fromHex(r.publicKey), tx.id, tx.signature)).toBe(true)
    expect(tx.body.signer).toEqual(alice.account)
    expect(tx.body.actions).toEqual([{ type: 'transfer', to: bob.account, amount: 7_000_000n }])

    // The node applied it: the receipt is the node's, and the balances moved.
    expect(r.receipt.txId).toBe(r.txId)
    expect(r.receipt.seq).toBeGreaterThan(r.registrationSeq)
    const client = createClientInNode()
    expect(await client.getReceipt({ txId: r.txId })).toEqual(r.receipt)
    expect((await client.getAccount({ account: alice.account })).l2Key).toBe(r.publicKey)
    expect((await client.getAccount({ account: alice.account })).balance).toBe(13_000_000n)
    expect(r.balanceAfter).toBe('13000000')
    expect((await client.getAccount({ account: bob.account })).balance).toBe(7_000_000n)

    const shot = process.env.LAGOON_SCREENSHOT ? resolve(ROOT, process.env.LAGOON_SCREENSHOT) : join(profile, 'browser-bundle.png')
    await page.screenshot({ path: shot, fullPage: true })
    expect(existsSync(shot)).toBe(true)
    expect(pageErrors).toEqual([])
  })

  /** A client of the node from Node itself, for the setup and the checks. */
  function createClientInNode() {
    return createLagoonClient({ url: node.url, token: node.tokens.wallet, instance: INSTANCE, terms: TERMS })
  }
})

interface PageResult {
  userAgent: string
  publicKey: string
  txHex: string
  txId: string
  selfCheck: boolean
  roundTrip: boolean
  cip8Ok: boolean
  registrationSeq: number
  receipt: { txId: string; seq: number; logHead: string }
  balanceAfter: string
}
