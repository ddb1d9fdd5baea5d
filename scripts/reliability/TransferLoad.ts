import { toHex } from '../../sdk/src/core/bytes.js'
import type { Blake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { buildSignedTx } from '../../sdk/src/core/tx/buildSignedTx.js'
import type { Action } from '../../sdk/src/core/tx/types.js'
import { INSTANCE, type User } from '../../sdk/test/support/world.js'
import { Rng } from './fuzz/Rng.js'

/** A receipt the node answered 200 with: the tx is applied and durable at `seq`. */
export interface Ack {
  readonly txId: string
  readonly seq: number
  readonly logHead: string
  /** ms from sending to the answer. */
  readonly latencyMs: number
  /** When the answer came (ms since the load started). */
  readonly at: number
}

/**
 * A steady load of signed transfers (and now and then a record write) from `users`, one request in
 * flight per user (a signer's nonces are sequential), optionally paced to `rate` tx/s in total. Every
 * 200 is kept as an `Ack`; a request that fails at the socket (the node was killed) ends that user's
 * loop, since whether it was applied is unknown until the node is back.
 *
 * @example
 * const load = new TransferLoad(url, token, users, hash)
 * await load.syncNonces(); load.start(); await sleep(1000); await load.stop()
 */
export class TransferLoad {
  readonly acks: Ack[] = []
  /** Non-200 answers by `status code`. */
  readonly rejections = new Map<string, number>()
  socketErrors = 0
  private readonly nonces = new Map<User, number>()
  private running: Promise<void>[] = []
  private stopping = false
  private started = 0
  private sent = 0
  private readonly rng: Rng

  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly users: User[],
    private readonly hash: Blake2b256,
    private readonly opts: { rate?: number; seed?: number } = {},
  ) {
    this.rng = new Rng(opts.seed ?? 12345)
  }

  private random(): number {
    return this.rng.next()
  }

  private headers(type?: string): Record<string, string> {
    return { ...(type ? { 'content-type': type } : {}), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) }
  }

  /** Reads every user's next nonce from the node (after a restart some unacknowledged txs may have applied). */
  async syncNonces(): Promise<void> {
    await Promise.all(
      this.users.map(async (u) => {
        const res = await fetch(`${this.url}/accounts/${toHex(u.account)}`, { headers: this.headers() })
        if (res.status !== 200) throw new Error(`GET /accounts: ${res.status}`)
        this.nonces.set(u, ((await res.json()) as { nonce: number }).nonce)
      }),
    )
  }

  /** Starts one loop per user. */
  start(): void {
    this.stopping = false
    this.started = performance.now()
    this.sent = 0
    this.running = this.users.map((u) => this.loop(u))
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<void> {
    this.stopping = true
    await Promise.all(this.running)
    this.running = []
  }

  /** Resolves when every loop has ended (e.g. after the node was killed). */
  settled(): Promise<void> {
    return Promise.all(this.running).then(() => {})
  }

  private async pace(): Promise<void> {
    const rate = this.opts.rate
    if (!rate) return
    const due = this.started + (this.sent++ * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
  }

  private async loop(u: User): Promise<void> {
    while (!this.stopping) {
      await this.pace()
      if (this.stopping) return
      const nonce = this.nonces.get(u) ?? 0
      const to = this.users[Math.floor(this.random() * this.users.length)]!
      const actions: Action[] = [{ type: 'transfer', to: to.account, amount: 1n + BigInt(Math.floor(this.random() * 1000)) }]
      if (nonce % 10 === 3) actions.push({ type: 'put', key: new TextEncoder().encode(`k${nonce % 7}`), value: new TextEncoder().encode(`v${nonce}`) })
      const tx = buildSignedTx({ instance: INSTANCE, signer: u.account, nonce, fee: 0n, actions }, u.l2Secret, this.hash)
      const t0 = performance.now()
      let res: Response
      try {
        res = await fetch(`${this.url}/tx`, { method: 'POST', headers: this.headers('application/cbor'), body: tx.bytes as Uint8Array<ArrayBuffer> })
      } catch {
        this.socketErrors++
        return
      }
      let body: { txId?: string; seq?: number; logHead?: string; code?: string }
      try {
        body = (await res.json()) as typeof body
      } catch {
        this.socketErrors++
        return
      }
      const t1 = performance.now()
      if (res.status === 200) {
        this.acks.push({ txId: body.txId!, seq: body.seq!, logHead: body.logHead!, latencyMs: t1 - t0, at: t1 - this.started })
        this.nonces.set(u, nonce + 1)
      } else {
        const k = `${res.status} ${body.code ?? '?'}`
        this.rejections.set(k, (this.rejections.get(k) ?? 0) + 1)
        if (res.status === 503) await new Promise((r) => setTimeout(r, 50))
        else return // an unexpected rejection: stop this user, the caller reports it
      }
    }
  }
}
