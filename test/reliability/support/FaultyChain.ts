import { CML, type LucidEvolution, type Network, type UTxO } from '@lucid-evolution/lucid'
import type { L1Chain, L1Tip, L1Tx } from '../../../sequencer/src/l1/L1Chain.js'
import { Rng } from '../../../scripts/reliability/fuzz/Rng.js'

/** What a submit does: forward it; refuse it; accept it and never forward it (a dropped tx, a timeout); forward it, then fail as a crash would. */
export type SubmitFault = 'ok' | 'fail' | 'drop' | 'crashAfter' | 'crashBefore'

/**
 * Thrown by a fault injected into a read or a submit.
 *
 * @example
 * if (e instanceof InjectedFault) console.log(e.what)
 */
export class InjectedFault extends Error {
  constructor(readonly what: string) {
    super(`injected fault: ${what}`)
    this.name = 'InjectedFault'
  }
}

/**
 * An `L1Chain` around a real one that injects provider faults: reads that fail (`readFailRate`) or
 * answer late (`maxDelayMs`), and submits that fail, are silently dropped, or reach the chain and then
 * "crash" (the node never learns the hash). The random source is seeded, so a failing run repeats.
 *
 * @example
 * const chain = new FaultyChain(await DevnetChain.open(devnet, key), { readFailRate: 0.2, seed: 7 })
 * chain.nextSubmits.push('drop')
 */
export class FaultyChain implements L1Chain {
  readonly kind
  readonly network: Network
  readonly lucid: LucidEvolution
  /** Faults applied to the next submits, in order (then 'ok'). */
  readonly nextSubmits: SubmitFault[] = []
  /** Every submit seen: its hash and what was done with it. */
  readonly submits: { txHash: string; fault: SubmitFault }[] = []
  readFailRate: number
  maxDelayMs: number
  /** Set when a 'crashAfter' / 'crashBefore' submit happened; the test then abandons the node. */
  crashed = false
  /** Out-refs (`txHash#index`) left out of every `utxosAt` answer while listed: a provider's incomplete listing. */
  readonly hidden = new Set<string>()
  private readonly rng: Rng

  constructor(
    readonly inner: L1Chain,
    opts: { readFailRate?: number; maxDelayMs?: number; seed?: number } = {},
  ) {
    this.kind = inner.kind
    this.network = inner.network
    this.lucid = inner.lucid
    this.readFailRate = opts.readFailRate ?? 0
    this.maxDelayMs = opts.maxDelayMs ?? 0
    this.rng = new Rng(opts.seed ?? 1)
  }

  /** A seeded number in [0, 1) (xorshift32), so a run repeats. */
  random(): number {
    return this.rng.next()
  }

  private async read<T>(what: string, f: () => Promise<T>): Promise<T> {
    if (this.maxDelayMs > 0) await new Promise((r) => setTimeout(r, Math.floor(this.random() * this.maxDelayMs)))
    if (this.random() < this.readFailRate) throw new InjectedFault(`${what}: provider error (HTTP 503)`)
    return f()
  }

  now(): number {
    return this.inner.now()
  }
  tip(): Promise<L1Tip> {
    return this.read('tip', () => this.inner.tip())
  }
  utxosAt(address: string): Promise<UTxO[]> {
    return this.read('utxosAt', async () => (await this.inner.utxosAt(address)).filter((u) => !this.hidden.has(`${u.txHash}#${u.outputIndex}`)))
  }
  confirmations(txHash: string): Promise<number | undefined> {
    return this.read('confirmations', () => this.inner.confirmations(txHash))
  }
  getTx(txHash: string): Promise<L1Tx | undefined> {
    return this.read('getTx', () => this.inner.getTx(txHash))
  }

  async submit(cbor: string): Promise<string> {
    const fault = this.nextSubmits.shift() ?? 'ok'
    const txHash = CML.hash_transaction(CML.Transaction.from_cbor_hex(cbor).body()).to_hex()
    this.submits.push({ txHash, fault })
    switch (fault) {
      case 'ok':
        return this.inner.submit(cbor)
      case 'fail':
        throw new InjectedFault('submit refused (HTTP 500)')
      case 'drop':
        return txHash // accepted, then lost from every mempool: never included
      case 'crashBefore':
        this.crashed = true
        throw new InjectedFault('crash before the submit left the node')
      case 'crashAfter':
        await this.inner.submit(cbor)
        this.crashed = true
        throw new InjectedFault('crash after the submit, before the node recorded it')
    }
  }

  awaitTx(txHash: string, confirmations: number, timeoutMs: number): Promise<boolean> {
    return this.inner.awaitTx(txHash, confirmations, timeoutMs)
  }
  close(): void {
    this.inner.close()
  }
}
