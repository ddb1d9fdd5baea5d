import { Blockfrost, Data, Lucid, SLOT_CONFIG_NETWORK } from '@lucid-evolution/lucid'
import { createLagoonClient, privateKeyWallet, type LagoonClient } from '../../../sdk/src/client/index.js'
import { loadBlake2b256 } from '../../../sdk/src/core/crypto/blake2b256.js'
import { LagoonError } from '../../../sdk/src/errors/LagoonError.js'
import { depositDatumToData, lagoonScripts } from '../../../sdk/src/l1/index.js'
import type { DemoWallet } from '../demoWallets.js'
import { LoadAccount } from './LoadAccount.js'

/**
 * Why the load generator could not set up its accounts: `NOT_A_DEMO` (no `/demo/config`),
 * `NODE_UNREACHABLE`, `NO_L1`, `NOT_ENOUGH_ADA` (a demo wallet cannot fund its share),
 * `CREDIT_TIMEOUT` (the node did not credit every deposit in time).
 *
 * @example
 * try { await fundAccounts(o) } catch (e) { if (e instanceof LoadSetupError) console.error(e.code) }
 */
export class LoadSetupError extends LagoonError {
  declare readonly code: 'NOT_A_DEMO' | 'NODE_UNREACHABLE' | 'NOT_ENOUGH_ADA' | 'CREDIT_TIMEOUT' | 'NO_L1'
  constructor(code: LoadSetupError['code'], message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    super(code, message, options)
  }
}

/** What `GET /demo/config` returns (the part used here). */
interface DemoConfig {
  readonly l1Url: string
  readonly demoWallets: readonly DemoWallet[]
  readonly slotConfig: { zeroTime: number; zeroSlot: number; slotLength: number }
}

/** What `GET /instance` returns (the part used here). */
interface InstanceJson {
  readonly instance: string
  readonly seed: string
  readonly terms: string
}

async function getJson<T>(url: string, what: string): Promise<{ status: number; body: T | undefined }> {
  let res: Response
  try {
    res = await fetch(url)
  } catch (e) {
    throw new LoadSetupError('NODE_UNREACHABLE', `${what}: cannot reach ${url} (${(e as Error).message}); is \`npm start\` running? (--node URL)`, { cause: e })
  }
  return { status: res.status, body: res.ok ? ((await res.json()) as T) : undefined }
}

/** Options of {@link fundAccounts}. */
export interface FundOptions {
  readonly nodeUrl: string
  /** Default: the devnet API named by `/demo/config`. */
  readonly l1Url?: string
  readonly count: number
  readonly depositLovelace: bigint
  /** Give up waiting for the credits after this long (default 180 s). */
  readonly timeoutMs?: number
  readonly log: (line: string) => void
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Sets up `count` funded layer-2 accounts on a running demo (`npm start`): fresh keys, a CIP-8
 * registration each, then real deposits on the devnet through its Blockfrost API, paid by the demo
 * wallets of `/demo/config` (one layer-1 tx per wallet, one deposit output per account), and waits until
 * the node has credited every one (after its layer-1 confirmations).
 *
 * @example
 * const { client, accounts } = await fundAccounts({ nodeUrl, count: 20, depositLovelace: 100_000_000n, log: console.log })
 */
export async function fundAccounts(o: FundOptions): Promise<{ client: LagoonClient; accounts: LoadAccount[] }> {
  const demo = await getJson<DemoConfig>(`${o.nodeUrl}/demo/config`, 'demo config')
  if (!demo.body) throw new LoadSetupError('NOT_A_DEMO', `${o.nodeUrl}/demo/config answered ${demo.status}: demo:load funds its accounts from the demo wallets of \`npm start\`; point --node at it`)
  const inst = await getJson<InstanceJson>(`${o.nodeUrl}/instance`, 'instance')
  if (!inst.body) throw new LoadSetupError('NO_L1', `${o.nodeUrl}/instance answered ${inst.status}: the node has no layer 1`)
  const wallets = demo.body.demoWallets
  const l1Url = o.l1Url ?? demo.body.l1Url
  const [seedHash, seedIndex] = inst.body.seed.split('#')
  const scripts = lagoonScripts({ txHash: seedHash!, outputIndex: Number(seedIndex) }, 'Custom')
  SLOT_CONFIG_NETWORK.Custom = demo.body.slotConfig
  const client = createLagoonClient({ url: o.nodeUrl, instance: inst.body.instance, terms: inst.body.terms, hash: await loadBlake2b256() })

  const accounts = Array.from({ length: o.count }, () => LoadAccount.generate())
  for (let i = 0; i < accounts.length; i += 8) {
    await Promise.all(accounts.slice(i, i + 8).map((a) => client.register({ wallet: privateKeyWallet(a.walletKey), address: a.addressHex, l2Key: a.signer.publicKey })))
  }
  o.log(`registered ${accounts.length} layer-2 accounts (CIP-8 key authorizations)`)

  // One deposit tx per demo wallet, each paying one deposit output per account it funds.
  const tip = (await getJson<{ time: number }>(`${l1Url}/blocks/latest`, 'layer-1 tip')).body
  const chainNow = Math.max(Date.now(), (tip?.time ?? 0) * 1000)
  const refundAfter = BigInt(chainNow + 24 * 3_600_000)
  const groups = wallets.map((w, i) => ({ w, accounts: accounts.filter((_, j) => j % wallets.length === i) })).filter((g) => g.accounts.length > 0)
  const txs = await Promise.all(
    groups.map(async ({ w, accounts: mine }) => {
      const lucid = await Lucid(new Blockfrost(l1Url, 'devnet'), 'Custom')
      lucid.selectWallet.fromPrivateKey(w.privateKey)
      const have = (await lucid.wallet().getUtxos()).reduce((s, u) => s + (u.assets.lovelace ?? 0n), 0n)
      const need = o.depositLovelace * BigInt(mine.length) + 5_000_000n
      if (have < need) throw new LoadSetupError('NOT_ENOUGH_ADA', `demo wallet ${w.name} holds ${have} lovelace; ${mine.length} deposits of ${o.depositLovelace} need ${need}: use fewer --accounts or a smaller --deposit`)
      // The wallet may have a tx of its own in the mempool (the web page uses the same demo wallets): its
      // inputs are still listed until the next block, so a conflict is retried after a block.
      for (let attempt = 1; ; attempt++) {
        try {
          let tx = lucid.newTx()
          for (const a of mine) tx = tx.pay.ToContract(scripts.depositAddress, { kind: 'inline', value: Data.to(depositDatumToData({ owner: a.account, refundAfter })) }, { lovelace: o.depositLovelace })
          const txHash = await (await (await tx.complete()).sign.withWallet().complete()).submit()
          o.log(`deposit tx ${txHash} from ${w.name}: ${mine.length} × ${Number(o.depositLovelace) / 1e6} ADA`)
          return txHash
        } catch (e) {
          if (attempt >= 5 || !/MISSING_INPUT|already spent/.test(String((e as Error)?.message ?? e))) throw e
          o.log(`deposit from ${w.name}: its wallet has a tx in the mempool; retrying after the next block`)
          await sleep(1500)
        }
      }
    }),
  )

  const started = Date.now()
  const timeout = o.timeoutMs ?? 180_000
  let lastLine = ''
  for (;;) {
    const balances = await Promise.all(accounts.map((a) => client.getAccount({ account: a.account }).then((x) => x.balance)))
    const credited = balances.filter((b) => b >= o.depositLovelace).length
    const height = (await getJson<{ height: number }>(`${l1Url}/blocks/latest`, 'layer-1 tip')).body?.height
    const line = `waiting for the credits: ${credited}/${accounts.length} credited (layer-1 height ${height}, ${Math.round((Date.now() - started) / 1000)} s)`
    if (line !== lastLine) o.log(line)
    lastLine = line
    if (credited === accounts.length) break
    if (Date.now() - started > timeout) throw new LoadSetupError('CREDIT_TIMEOUT', `only ${credited}/${accounts.length} deposits were credited after ${timeout / 1000} s`, { details: { txs } })
    await sleep(1000)
  }
  return { client, accounts }
}
