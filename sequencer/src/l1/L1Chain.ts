import { Blockfrost, Lucid, SLOT_CONFIG_NETWORK, type LucidEvolution, type Network, type UTxO } from '@lucid-evolution/lucid'
import type { StrictEmulator } from '@lagoon/devnet'

/** The last block of the chain as the backend sees it. */
export interface L1Tip {
  readonly height: number
  readonly slot: number
  readonly hash: string
}

/** A confirmed (or mempool) tx: its CBOR and its resolved inputs. */
export interface L1Tx {
  readonly cbor: string
  readonly inputs: readonly { readonly txHash: string; readonly outputIndex: number; readonly address: string; readonly assets: Record<string, bigint> }[]
}

/**
 * What the node needs from layer 1, and nothing more: the confirmed UTxOs at an address (inline
 * datums resolved), the tip height, a tx's confirmations, CBOR and spent inputs, submitting a signed tx, and the
 * chain's clock. Every read is of the *confirmed* chain (what is in a block), as Blockfrost serves it;
 * a tx in the mempool has 0 confirmations. Implemented for the strict devnet (embedded) and for
 * Blockfrost (a Blockfrost project, or a local Yaci DevKit's Blockfrost-compatible API).
 *
 * @example
 * const chain: L1Chain = await DevnetChain.open(devnet, operatorKey)
 * const deposits = await chain.utxosAt(scripts.depositAddress)
 * const confs = await chain.confirmations(deposits[0]!.txHash) // undefined: unknown (rolled back)
 */
export interface L1Chain {
  readonly kind: 'devnet' | 'blockfrost'
  readonly network: Network
  /** A Lucid instance on this backend with the operator's key selected as its wallet. */
  readonly lucid: LucidEvolution
  /** The chain's clock, POSIX ms (the devnet's simulated time; the wall clock elsewhere). */
  now(): number
  tip(): Promise<L1Tip>
  /** Unspent outputs at `address` in the confirmed chain. */
  utxosAt(address: string): Promise<UTxO[]>
  /** tip − inclusion height + 1; 0 while in the mempool; undefined when unknown (never seen or rolled back). */
  confirmations(txHash: string): Promise<number | undefined>
  /** A tx on the chain: its CBOR (to read its redeemers) and the outputs it spent, or undefined. */
  getTx(txHash: string): Promise<L1Tx | undefined>
  /** Submits a signed tx; resolves with its hash or rejects with the backend's error. */
  submit(cbor: string): Promise<string>
  /** Polls until `txHash` has `confirmations` (true) or `timeoutMs` passes (false). */
  awaitTx(txHash: string, confirmations: number, timeoutMs: number): Promise<boolean>
  close(): void
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function pollTx(chain: L1Chain, txHash: string, confirmations: number, timeoutMs: number, everyMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (((await chain.confirmations(txHash)) ?? -1) >= confirmations) return true
    if (Date.now() >= until) return false
    await sleep(everyMs)
  }
}

/**
 * The strict devnet (`@lagoon/devnet`) in the node's process. Blocks are produced by whoever drives
 * the devnet (a test's `awaitBlock`, or `blockEveryMs` here for an embedded demo chain).
 *
 * @example
 * const chain = await DevnetChain.open(devnet, operator.privateKey, { blockEveryMs: 1000 })
 */
export class DevnetChain implements L1Chain {
  readonly kind = 'devnet' as const
  readonly network: Network = 'Custom'
  private timer: NodeJS.Timeout | null = null

  private constructor(
    readonly devnet: StrictEmulator,
    readonly lucid: LucidEvolution,
  ) {}

  /**
   * A chain on `devnet` whose Lucid signs with `operatorKey` (bech32 `ed25519_sk…`).
   * Lucid sets the Custom network's slot config from the emulator's clock when created; it is reset
   * to the devnet's genesis so a Lucid made after the devnet advanced still computes slots right.
   */
  static async open(devnet: StrictEmulator, operatorKey: string, opts: { blockEveryMs?: number } = {}): Promise<DevnetChain> {
    const lucid = await Lucid(devnet, 'Custom')
    SLOT_CONFIG_NETWORK.Custom = { zeroTime: devnet.genesisTime, zeroSlot: 0, slotLength: 1000 }
    lucid.selectWallet.fromPrivateKey(operatorKey)
    const chain = new DevnetChain(devnet, lucid)
    if (opts.blockEveryMs && opts.blockEveryMs > 0) {
      chain.timer = setInterval(() => devnet.awaitBlock(1), opts.blockEveryMs)
      chain.timer.unref()
    }
    return chain
  }

  now(): number {
    return this.devnet.now()
  }

  async tip(): Promise<L1Tip> {
    return this.devnet.getTip()
  }

  async utxosAt(address: string): Promise<UTxO[]> {
    return this.devnet.getUtxos(address)
  }

  async confirmations(txHash: string): Promise<number | undefined> {
    return this.devnet.getConfirmations(txHash)
  }

  async getTx(txHash: string): Promise<L1Tx | undefined> {
    const r = this.devnet.getTxRecord(txHash)
    return r && { cbor: r.cbor, inputs: r.spent.map((u) => ({ txHash: u.txHash, outputIndex: u.outputIndex, address: u.address, assets: u.assets })) }
  }

  async submit(cbor: string): Promise<string> {
    return this.devnet.submitTx(cbor)
  }

  awaitTx(txHash: string, confirmations: number, timeoutMs: number): Promise<boolean> {
    return pollTx(this, txHash, confirmations, timeoutMs, 50)
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}

/** Where a Blockfrost-compatible API is. */
export interface BlockfrostOptions {
  /**
   * e.g. `https://cardano-preprod.blockfrost.io/api/v0`, Yaci DevKit's `http://localhost:8080/api/v1`, or
   * the strict devnet's own API (`serveBlockfrost`, what `npm start` runs).
   */
  readonly url: string
  /** The project id (Blockfrost); empty for Yaci DevKit and the devnet. */
  readonly projectId?: string
  readonly network: Network
  /** ms between polls in `awaitTx` (default 5,000; a local chain wants less). */
  readonly pollMs?: number
}

/**
 * Blockfrost (preprod / mainnet), a local Yaci DevKit through its Blockfrost-compatible URL, or the
 * strict devnet's API (`serveBlockfrost`): UTxOs, protocol parameters and submission through Lucid's
 * `Blockfrost` provider; the tip, a tx's block height, CBOR and inputs through the REST API
 * (`/blocks/latest`, `/txs/{hash}`, `/txs/{hash}/cbor`, `/txs/{hash}/utxos`). A tx in the mempool is
 * unknown to `/txs/{hash}`: `confirmations` then asks `/mempool/{hash}` (0 when there, undefined when
 * not: dropped, rolled back, or submitted elsewhere). For the `Custom` network the slot config (which
 * Lucid needs to turn times into slots) is read from `/genesis`. `now()` is the tip's time.
 * Tested against the strict devnet's API (test/start/blockfrostNode.test.ts).
 *
 * @example
 * const chain = await BlockfrostChain.open({ url, projectId, network: 'Preprod' }, operatorKey)
 */
export class BlockfrostChain implements L1Chain {
  readonly kind = 'blockfrost' as const
  readonly network: Network
  /** POSIX ms of the last tip `tip()` saw (its slot's start). */
  private tipTime: number | undefined

  private constructor(
    private readonly opts: BlockfrostOptions,
    private readonly provider: Blockfrost,
    readonly lucid: LucidEvolution,
  ) {
    this.network = opts.network
  }

  static async open(opts: BlockfrostOptions, operatorKey: string): Promise<BlockfrostChain> {
    const url = opts.url.replace(/\/+$/, '')
    const o = { ...opts, url }
    if (opts.network === 'Custom') {
      // A private chain: Lucid's Custom slot config starts empty; the chain's genesis fixes it.
      const g = await getJson<{ system_start: number; slot_length: number }>(o, '/genesis')
      if (!g) throw new Error(`blockfrost ${url}/genesis: not found (needed for the Custom network's slot config)`)
      SLOT_CONFIG_NETWORK.Custom = { zeroTime: Math.round(g.system_start * 1000), zeroSlot: 0, slotLength: Math.round(g.slot_length * 1000) }
    }
    const provider = new Blockfrost(url, opts.projectId)
    const lucid = await Lucid(provider, opts.network)
    lucid.selectWallet.fromPrivateKey(operatorKey)
    return new BlockfrostChain(o, provider, lucid)
  }

  private get<T>(path: string): Promise<T | undefined> {
    return getJson<T>(this.opts, path)
  }

  /**
   * The chain's time: the start of the last tip's slot (the follower reads the tip every poll), else
   * the wall clock. A tx valid from the tip's slot is never "not yet valid", however far the tip lags
   * the wall clock (a node's mempool checks validity against its tip, not the wall clock).
   */
  now(): number {
    return this.tipTime ?? Date.now()
  }

  async tip(): Promise<L1Tip> {
    const b = await this.get<{ height: number; slot: number; hash: string; time: number }>('/blocks/latest')
    if (!b) throw new Error('blockfrost: no latest block')
    if (typeof b.time === 'number') this.tipTime = b.time * 1000
    return { height: b.height, slot: b.slot, hash: b.hash }
  }

  utxosAt(address: string): Promise<UTxO[]> {
    return this.provider.getUtxos(address)
  }

  async confirmations(txHash: string): Promise<number | undefined> {
    const tx = await this.get<{ block_height: number }>(`/txs/${txHash}`)
    if (!tx) return (await this.get<unknown>(`/mempool/${txHash}`)) ? 0 : undefined
    const tip = await this.tip()
    return tip.height - tx.block_height + 1
  }

  async getTx(txHash: string): Promise<L1Tx | undefined> {
    const cbor = (await this.get<{ cbor: string }>(`/txs/${txHash}/cbor`))?.cbor
    const utxos = await this.get<{ inputs: { tx_hash: string; output_index: number; address: string; amount: { unit: string; quantity: string }[]; collateral?: boolean; reference?: boolean }[] }>(`/txs/${txHash}/utxos`)
    if (!cbor || !utxos) return undefined
    return {
      cbor,
      inputs: utxos.inputs
        .filter((i) => !i.collateral && !i.reference)
        .map((i) => ({
          txHash: i.tx_hash,
          outputIndex: i.output_index,
          address: i.address,
          assets: Object.fromEntries(i.amount.map((a) => [a.unit, BigInt(a.quantity)])),
        })),
    }
  }

  submit(cbor: string): Promise<string> {
    return this.provider.submitTx(cbor)
  }

  awaitTx(txHash: string, confirmations: number, timeoutMs: number): Promise<boolean> {
    return pollTx(this, txHash, confirmations, timeoutMs, this.opts.pollMs ?? 5000)
  }

  close(): void {}
}

/** GET `path` of a Blockfrost-compatible API: the JSON, undefined on 404, an Error otherwise. */
async function getJson<T>(opts: BlockfrostOptions, path: string): Promise<T | undefined> {
  const res = await fetch(`${opts.url}${path}`, { headers: opts.projectId ? { project_id: opts.projectId } : {} })
  if (res.status === 404) {
    await res.body?.cancel()
    return undefined
  }
  if (!res.ok) throw new Error(`blockfrost ${path}: HTTP ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}
