/**
 * Attacks on the state token (one-shot policy) and on deposits' refunds. Forged ones start from an
 * honest tx that Lucid's local evaluation accepted and must be rejected by the strict devnet with the
 * debug build's trace (on the release build: by the validator the trace names; refusal.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { CML, unixTimeToSlot, type UTxO } from '@lucid-evolution/lucid'
import { fromHex, toHex } from '../../src/core/bytes.js'
import { buildDepositTx, buildInitTx, buildRefundTx, STATE_TOKEN_REDEEMER, type LagoonScripts } from '../../src/l1/index.js'
import { ADA, BUILDS, expectRejected, submit, utxoAt, world, type World } from './helpers.js'
import { expectAccepted, expectScriptFailed, forge, forgeOutputs, honest, outputWith, withBody } from './tamper.js'

describe.each(BUILDS)('state token and deposit attacks (%s build: each rejected for its reason)', (build) => {
  let w: World
  let scripts: LagoonScripts
  let initCbor: string // honest init of a second instance (not submitted)
  let initScripts: LagoonScripts
  let refund: string // honest refund of `deposit` after its time, signed by the operator (fees) and the owner
  let deposit: UTxO
  const refundAfter = () => BigInt(w.devnet.now() + 30_000)
  let depositRefundAfter: bigint

  beforeAll(async () => {
    w = await world(2, build)
    const [seed, seed2] = await w.lucid.wallet().getUtxos()
    const init = buildInitTx(w.lucid, { seed: seed!, operator: w.operatorKeyHash, exodusTimeout: 3_600_000n, now: w.devnet.now(), debug: build === 'debug' })
    scripts = init.scripts
    w.instances.push(scripts)
    await submit(w, init.tx)
    // A second, honest init (another seed), kept unsubmitted for forging.
    const ws = await w.lucid.wallet().getUtxos()
    const other = ws.find((u) => u.txHash !== seed!.txHash) ?? seed2!
    const i2 = buildInitTx(w.lucid, { seed: other, operator: w.operatorKeyHash, exodusTimeout: 3_600_000n, now: w.devnet.now(), debug: build === 'debug' })
    initScripts = i2.scripts
    w.instances.push(initScripts)
    initCbor = await honest(i2.tx)

    const u = w.users[0]!
    w.lucid.selectWallet.fromPrivateKey(u.walletKey)
    depositRefundAfter = refundAfter()
    await submit(w, buildDepositTx(w.lucid, scripts, { owner: toHex(u.account), refundAfter: depositRefundAfter }, 10n * ADA))
    w.lucid.selectWallet.fromPrivateKey(w.operator.privateKey)
    deposit = (await utxoAt(w, scripts.depositAddress))[0]!
    w.devnet.awaitSlot(60)
  })

  /** The init tx's mint and anchor output with the state token quantity / names changed. */
  const forgeMint = (assets: [name: string, qty: bigint][]) => {
    const policy = CML.ScriptHash.from_hex(initScripts.policyId)
    const mint = CML.Mint.new()
    const ma = CML.MultiAsset.new()
    for (const [name, qty] of assets) {
      mint.set(policy, CML.AssetName.from_raw_bytes(fromHex(name)), qty)
      ma.set(policy, CML.AssetName.from_raw_bytes(fromHex(name)), qty)
    }
    return forgeOutputs(initCbor, [w.operator.privateKey], (o) => o.map((x) => (x.address().to_bech32() === initScripts.anchorAddress ? outputWith(x, { multiAsset: ma }) : x)), {
      body: (b) => b.set_mint(mint),
    })
  }

  describe('a second state token', () => {
    it('init that mints 2 state tokens (devnet)', async () => {
      await expectScriptFailed(w, forgeMint([['6c61676f6f6e', 2n]]), 'state_token: must mint exactly one lagoon token')
    })
    it('init that mints the state token and another token of its policy (devnet)', async () => {
      await expectScriptFailed(w, forgeMint([['6c61676f6f6e', 1n], ['6c61676f6f6f', 1n]]), 'state_token: must mint exactly one lagoon token')
    })
    it('init that mints 2 state tokens (complete())', async () => {
      const [seed] = (await w.lucid.wallet().getUtxos()).slice(-1)
      const s = buildInitTx(w.lucid, { seed: seed!, operator: w.operatorKeyHash, exodusTimeout: 1n, now: w.devnet.now(), debug: build === 'debug' }).scripts
      w.instances.push(s)
      const tx = w.lucid
        .newTx()
        .collectFrom([seed!])
        .mintAssets({ [s.unit]: 2n }, STATE_TOKEN_REDEEMER)
        .attach.MintingPolicy(s.stateToken)
        .pay.ToAddress(w.operator.address, { lovelace: 2n * ADA, [s.unit]: 2n })
      await expectRejected(w, tx, 'state_token: must mint exactly one lagoon token')
    })
    it('re-mint of the state token after the init (the seed is spent) (complete())', async () => {
      const tx = w.lucid
        .newTx()
        .mintAssets({ [scripts.unit]: 1n }, STATE_TOKEN_REDEEMER)
        .attach.MintingPolicy(scripts.stateToken)
        .pay.ToAddress(w.operator.address, { lovelace: 2n * ADA, [scripts.unit]: 1n })
      await expectRejected(w, tx, 'state_token: the seed is not spent')
    })
    it('control: the honest second init is accepted', async () => {
      await expectAccepted(w, initCbor)
      expect((await utxoAt(w, initScripts.anchorAddress))[0]!.assets[initScripts.unit]).toBe(1n)
    })
  })

  describe('refunds, forged past complete(), rejected by the strict devnet', () => {
    beforeAll(async () => {
      refund = await honest(buildRefundTx(w.lucid, scripts, [deposit], w.devnet.now()), [w.users[0]!.walletKey])
    })
    it('a refund whose validity range starts before the refund time', async () => {
      const early = BigInt(unixTimeToSlot('Custom', Number(depositRefundAfter) - 10_000))
      const e = forge(refund, [w.operator.privateKey, w.users[0]!.walletKey], (body) => {
        const b = withBody(body, {})
        b.set_validity_interval_start(early)
        return b
      })
      await expectScriptFailed(w, e, 'deposit: refund before its time')
    })
    it('a refund to someone else: the owner\'s signature replaced by the operator\'s (required signer changed)', async () => {
      const e = forgeOutputs(refund, [w.operator.privateKey], (o) => o, {
        body: (b) => {
          const signers = CML.Ed25519KeyHashList.new()
          signers.add(CML.Ed25519KeyHash.from_hex(w.operatorKeyHash))
          b.set_required_signers(signers)
        },
      })
      await expectScriptFailed(w, e, 'deposit: refund not signed by the owner')
    })
    it('control: the honest refund is accepted', async () => {
      await expectAccepted(w, refund)
      expect(await utxoAt(w, scripts.depositAddress)).toEqual([])
    })
  })
})
