import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestNode, type TestNode } from '../../../sequencer/test/support/harness.js'
import { toHex } from '../../src/core/bytes.js'
import { loadBlake2b256 } from '../../src/core/crypto/blake2b256.js'
import { LagoonError } from '../../src/errors/LagoonError.js'
import {
  ApiError,
  ClientError,
  NetworkError,
  auditLog,
  createLagoonClient,
  deriveL2Signer,
  generateL2Signer,
  l2Signer,
  privateKeyWallet,
  type L2Signer,
  type LagoonClient,
} from '../../src/index.js'
import { INSTANCE, OPERATOR, TERMS, context, l1Hash, user, type User } from '../support/world.js'

const te = (s: string) => new TextEncoder().encode(s)

async function rejects(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}

describe('API client against a real node', () => {
  let t: TestNode
  let client: LagoonClient
  let alice: User, bob: User, carol: User
  let aliceSigner: L2Signer, bobSigner: L2Signer
  const deposit = (u: User, n: number, amount: bigint) =>
    t.node.sequencer.submitTask({ kind: 'deposit', txHash: l1Hash(n), index: 0, owner: u.account, amount })

  beforeAll(async () => {
    t = await startTestNode()
    client = createLagoonClient({ url: t.url, token: t.tokens.wallet, instance: toHex(INSTANCE), terms: TERMS })
    ;[alice, bob, carol] = [user(11), user(12), user(13)]
    aliceSigner = l2Signer({ account: alice.account, secretKey: alice.l2Secret })
    bobSigner = l2Signer({ account: bob.account, secretKey: bob.l2Secret })
  })
  afterAll(async () => {
    await t.stop()
  })

  it('registers accounts through a CIP-8 signer (Node private-key wallet and a CIP-30-like object)', async () => {
    const r = await client.register({ wallet: privateKeyWallet(alice.walletKey), address: alice.addressHex, l2Key: aliceSigner.publicKey })
    expect(r.account).toBe(toHex(alice.account))
    expect(r.seq).toBeGreaterThan(0)
    // A CIP-30 wallet API is any object with an async signData(addressHex, payloadHex).
    const inner = privateKeyWallet(bob.walletKey)
    const cip30 = { signData: async (a: string, p: string) => inner.signData(a, p) }
    await client.register({ wallet: cip30, address: bob.addressHex, l2Key: bobSigner.publicKey })
    const a = await client.getAccount({ account: alice.account })
    expect(a).toMatchObject({ id: toHex(alice.account), keyEpoch: 1, nonce: 0, balance: 0n, l2Key: toHex(alice.l2Key) })
    const again = await rejects(client.register({ wallet: privateKeyWallet(alice.walletKey), address: alice.addressHex, l2Key: bob.l2Key }))
    expect(again).toBeInstanceOf(ApiError)
    expect(again).toMatchObject({ code: 'ALREADY_REGISTERED', status: 409 })
  })

  it('transfers (fetching the nonce), reads balances and receipts', async () => {
    await deposit(alice, 1, 50_000_000n)
    const sent = await client.transfer({ signer: aliceSigner, to: toHex(bob.account), amount: 10_000_000n, fee: 1000n })
    expect(sent.txId).toBe(toHex(sent.tx.id))
    expect(await client.getReceipt({ txId: sent.txId })).toEqual({ txId: sent.txId, seq: sent.seq, logHead: sent.logHead })
    expect(await client.waitForReceipt({ txId: sent.tx.id })).toMatchObject({ seq: sent.seq })
    expect((await client.getAccount({ account: alice.account })).balance).toBe(50_000_000n - 10_000_000n - 1000n)
    expect((await client.getAccount({ account: bob.account })).balance).toBe(10_000_000n)
    expect((await client.getAccount({ account: OPERATOR.account })).balance).toBe(1000n)
    const s = await client.getState()
    expect(s.seq).toBe(sent.seq)
    expect(s.logHead).toBe(sent.logHead)
  })

  it('puts and deletes records, several actions in one transaction, and requests a withdrawal', async () => {
    await client.put({ signer: aliceSigner, key: 'score', value: '42' })
    await client.sendActions({
      signer: aliceSigner,
      actions: [
        { type: 'put', key: te('name'), value: te('alice') },
        { type: 'put', key: te('level'), value: te('3') },
        { type: 'transfer', to: bob.account, amount: 1_000_000n },
      ],
    })
    expect((await client.getRecords({ account: alice.account })).map((r) => new TextDecoder().decode(r.key))).toEqual(['level', 'name', 'score'])
    await client.deleteRecord({ signer: aliceSigner, key: 'level' })
    const recs = await client.getRecords({ account: alice.account })
    expect(recs.map((r) => [new TextDecoder().decode(r.key), new TextDecoder().decode(r.value)])).toEqual([
      ['name', 'alice'],
      ['score', '42'],
    ])
    const gone = await rejects(client.deleteRecord({ signer: aliceSigner, key: 'level' }))
    expect(gone).toMatchObject({ code: 'NO_SUCH_RECORD', status: 422 })
    const w = await client.requestWithdrawal({ signer: aliceSigner, amount: 2_000_000n })
    const a = await client.getAccount({ account: alice.account })
    expect(a.pendingExit).toBe(2_000_000n)
    expect(a.nonce).toBe(w.tx.body.nonce + 1)
  })

  it('raises typed errors: bad nonce, insufficient balance, unknown recipient, unauthorized, not found', async () => {
    const nonce = await rejects(client.transfer({ signer: aliceSigner, to: bob.account, amount: 1n, nonce: 99 }))
    expect(nonce).toBeInstanceOf(ApiError)
    expect(nonce).toBeInstanceOf(LagoonError)
    expect(nonce).toMatchObject({ code: 'BAD_NONCE', status: 409, details: { got: 99 } })
    const poor = await rejects(client.transfer({ signer: bobSigner, to: alice.account, amount: 10n ** 12n }))
    expect(poor).toMatchObject({ code: 'INSUFFICIENT_BALANCE', status: 422, details: { needed: String(10n ** 12n) } })
    expect(await rejects(client.transfer({ signer: bobSigner, to: carol.account, amount: 1n }))).toMatchObject({ code: 'UNKNOWN_RECIPIENT', status: 422 })
    const anon = createLagoonClient({ url: t.url, instance: INSTANCE })
    const unauth = await rejects(anon.transfer({ signer: bobSigner, to: alice.account, amount: 1n }))
    expect(unauth).toMatchObject({ code: 'UNAUTHORIZED', status: 401 })
    const wrongScope = createLagoonClient({ url: t.url, token: 'not-a-token', instance: INSTANCE })
    expect(await rejects(wrongScope.transfer({ signer: bobSigner, to: alice.account, amount: 1n, nonce: 0 }))).toMatchObject({ status: 401 })
    expect(await rejects(client.getAccount({ account: carol.account }))).toMatchObject({ code: 'NOT_FOUND', status: 404 })
    const forged = await rejects(client.transfer({ signer: l2Signer({ account: bob.account, secretKey: carol.l2Secret }), to: alice.account, amount: 1n }))
    expect(forged).toMatchObject({ code: 'BAD_SIGNATURE', status: 400 })
  })

  it('raises NetworkError for an unreachable node or a malformed answer, ClientError for missing config and wait timeouts', async () => {
    const down = createLagoonClient({ url: 'http://127.0.0.1:1' })
    const e = await rejects(down.getState())
    expect(e).toBeInstanceOf(NetworkError)
    expect(e).toMatchObject({ code: 'NETWORK_ERROR' })
    const html = createLagoonClient({ url: 'http://x', fetch: async () => new Response('<html>', { status: 200 }) })
    expect(await rejects(html.getState())).toMatchObject({ code: 'BAD_RESPONSE' })
    const proxy = createLagoonClient({ url: 'http://x', fetch: async () => new Response('bad gateway', { status: 502 }) })
    expect(await rejects(proxy.getState())).toMatchObject({ code: 'HTTP_ERROR', status: 502 })
    const slow = createLagoonClient({ url: 'http://x', timeoutMs: 50, fetch: (_u, init) => new Promise((_r, rej) => init?.signal?.addEventListener('abort', () => rej(new Error('aborted')))) })
    expect(await rejects(slow.getState())).toMatchObject({ code: 'TIMEOUT' })
    const noInstance = createLagoonClient({ url: t.url })
    const m = await rejects(noInstance.transfer({ signer: aliceSigner, to: bob.account, amount: 1n, nonce: 0 }))
    expect(m).toBeInstanceOf(ClientError)
    expect(m).toMatchObject({ code: 'MISSING_CONFIG' })
    expect(await rejects(client.waitForReceipt({ txId: new Uint8Array(32), timeoutMs: 300, pollIntervalMs: 50 }))).toMatchObject({ code: 'WAIT_TIMEOUT' })
    const refusing = { signData: async () => { throw { code: 2, info: 'user declined' } } }
    expect(await rejects(client.register({ wallet: refusing, address: carol.addressHex, l2Key: carol.l2Key }))).toMatchObject({ code: 'SIGNER_FAILED' })
  })

  it('rotates a key: the old key stops working, the new one signs', async () => {
    const { signer: next } = generateL2Signer(bob.account)
    const r = await client.rotateKey({ wallet: privateKeyWallet(bob.walletKey), address: bob.addressHex, l2Key: next.publicKey })
    expect(r.seq).toBeGreaterThan(0)
    expect((await client.getAccount({ account: bob.account })).keyEpoch).toBe(2)
    expect(await rejects(client.transfer({ signer: bobSigner, to: alice.account, amount: 1n }))).toMatchObject({ code: 'BAD_SIGNATURE' })
    await client.transfer({ signer: next, to: alice.account, amount: 1n })
    const stale = await rejects(client.rotateKey({ wallet: privateKeyWallet(bob.walletKey), address: bob.addressHex, l2Key: bob.l2Key, epoch: 1 }))
    expect(stale).toMatchObject({ code: 'STALE_AUTHORIZATION', status: 409 })
  })

  it('derives the same layer-2 key from the wallet every time, and registers with it', async () => {
    const wallet = privateKeyWallet(carol.walletKey)
    const hash = await loadBlake2b256()
    const k1 = await deriveL2Signer({ wallet, address: carol.addressHex, instance: INSTANCE, hash })
    const k2 = await deriveL2Signer({ wallet, address: carol.addressHex, instance: INSTANCE, hash })
    expect(toHex(k1.publicKey)).toBe(toHex(k2.publicKey))
    const other = await deriveL2Signer({ wallet: privateKeyWallet(alice.walletKey), address: alice.addressHex, instance: INSTANCE, hash })
    expect(toHex(other.publicKey)).not.toBe(toHex(k1.publicKey))
    await client.register({ wallet, address: carol.addressHex, l2Key: k1.publicKey })
    await client.transfer({ signer: aliceSigner, to: carol.account, amount: 3_000_000n })
    await client.transfer({ signer: k1, to: alice.account, amount: 1_000_000n })
    expect((await client.getAccount({ account: carol.account })).balance).toBe(2_000_000n)
  })

  it('submits several transactions in one request and pages the log', async () => {
    const n = (await client.getAccount({ account: alice.account })).nonce
    const txs = await Promise.all([0, 1, 2].map((i) => client.signTx({ signer: aliceSigner, nonce: n + i, actions: [{ type: 'transfer', to: bob.account, amount: 10n }] })))
    const results = await client.submitTxs({ txs: [...txs, txs[0]!] })
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true])
    const bad = await client.submitTxs({ txs: [await client.signTx({ signer: aliceSigner, nonce: 0, actions: [{ type: 'withdraw', amount: 1_000_000n }] })] })
    expect(bad[0]).toMatchObject({ ok: false, error: { code: 'BAD_NONCE' } })
    const tip = await client.getState()
    const seqs: number[] = []
    let pages = 0
    for await (const page of client.getLog({ limit: 4 })) {
      pages++
      for (const e of page.entries) seqs.push(e.seq)
    }
    expect(seqs).toEqual(Array.from({ length: tip.seq }, (_, i) => i + 1))
    expect(pages).toBe(Math.ceil(tip.seq / 4))
    const part: number[] = []
    for await (const page of client.getLog({ from: 3, to: 6, limit: 2 })) part.push(...page.entries.map((e) => e.seq))
    expect(part).toEqual([3, 4, 5, 6])
  })

  it('audits the node’s log through the client: same head and root as the node', async () => {
    const tip = await client.getState()
    const progress: number[] = []
    const r = await auditLog({ client, ctx: context(await loadBlake2b256()), pageSize: 5, onProgress: (p) => progress.push(p.seq) })
    expect(r.ok).toBe(true)
    expect({ seq: r.seq, head: r.head, root: r.root }).toEqual({ seq: tip.seq, head: tip.logHead, root: tip.root })
    expect(r.byKind.register).toBe(3)
    expect(r.byKind.rotate).toBe(1)
    expect(r.signaturesChecked).toBe(r.byKind.tx + r.byKind.register + r.byKind.rotate)
    expect(progress[progress.length - 1]).toBe(tip.seq)
  })
})
