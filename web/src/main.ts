/**
 * The web wallet and explorer: plain TypeScript and the DOM, bundled by `web/build.ts` with the SDK
 * (protocol core, client, auditor) and Lucid Evolution (layer 1). Served by the node (`createWebApp`)
 * on the API's own origin.
 */
import type { App } from './App.js'
import { mountExplorer } from './explorer/mountExplorer.js'
import { loadSetup } from './setup/loadSetup.js'
import { BatchStore } from './stream/BatchStore.js'
import { LogTail } from './stream/LogTail.js'
import { NodeStream } from './stream/NodeStream.js'
import { byId } from './ui/dom.js'
import { describeError } from './ui/describeError.js'
import { short } from './ui/format.js'
import { mountWallet } from './wallet/mountWallet.js'

declare global {
  interface Window {
    /** For tests and the curious: the page's state once it is up. */
    lagoonPage?: { ready: boolean; app?: App; error?: string }
  }
}

function showTab(name: string): void {
  document.querySelectorAll<HTMLButtonElement>('nav [role=tab]').forEach((tab) => tab.setAttribute('aria-selected', String(tab.dataset.tab === name)))
  document.querySelectorAll<HTMLElement>('[role=tabpanel]').forEach((panel) => (panel.hidden = panel.id !== `panel-${name}`))
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`)
}

async function main(): Promise<void> {
  window.lagoonPage = { ready: false }
  document.querySelectorAll<HTMLButtonElement>('nav [role=tab]').forEach((tab) => tab.addEventListener('click', () => showTab(tab.dataset.tab!)))
  showTab(location.hash === '#explorer' ? 'explorer' : 'wallet')

  const setup = await loadSetup(location.origin)
  byId('node-info').textContent = setup.instance
    ? `instance ${short(setup.instance.instance)} · ${setup.instance.network} · ${setup.instance.confirmations} confirmations`
    : 'node without layer 1'

  const stream = new NodeStream(setup.nodeUrl)
  const pill = byId('stream-status')
  stream.onStatus((s) => {
    pill.textContent = `stream: ${s}`
    pill.className = `pill ${s}`
  })
  const tail = new LogTail(setup.client, setup.hash)
  const app: App = { setup, stream, tail, batches: new BatchStore(setup.client, stream) }
  stream.on('receipts', () => tail.poke())
  stream.on('batch', () => tail.poke())

  mountWallet(app, byId('panel-wallet'))
  mountExplorer(app, byId('panel-explorer'))
  await tail.start()
  window.lagoonPage = { ready: true, app }
}

main().catch((e: unknown) => {
  const { code, message } = describeError(e)
  const banner = byId('fatal')
  banner.hidden = false
  banner.textContent = `The page could not start — ${code}: ${message}`
  window.lagoonPage = { ready: false, error: `${code}: ${message}` }
})
