import { createHash } from 'node:crypto'
import {
  CML,
  Emulator,
  PROTOCOL_PARAMETERS_DEFAULT,
  type Delegation,
  type EmulatorAccount,
  type ProtocolParameters,
  type UTxO,
} from '@lucid-evolution/lucid'
import { applyUtxoChanges, undoUtxoChanges, type UtxoTables } from './ledger/applyUtxoChanges.js'
import { cloneCertState, emptyCertState, type CertState } from './ledger/CertState.js'
import { chainViewOf } from './ledger/chainViewOf.js'
import { credentialKey } from './ledger/credentialKey.js'
import { epochOf } from './ledger/epochOf.js'
import { reapRetiredPools } from './ledger/reapRetiredPools.js'
import { stakeAccountInfo, type StakeAccountInfo } from './ledger/StakeAccountInfo.js'
import { applyCertificates } from './rules/applyCertificates.js'
import { buildRuleContext } from './rules/buildRuleContext.js'
import { checkCollateral } from './rules/checkCollateral.js'
import { checkFee } from './rules/checkFee.js'
import { checkOutputs } from './rules/checkOutputs.js'
import { checkPlutusContext } from './rules/checkPlutusContext.js'
import { checkReferenceScripts } from './rules/checkReferenceScripts.js'
import { checkScriptIntegrity } from './rules/checkScriptIntegrity.js'
import { checkTxShape } from './rules/checkTxShape.js'
import { checkValidityInterval } from './rules/checkValidityInterval.js'
import { checkValueConservation } from './rules/checkValueConservation.js'
import { checkWitnesses } from './rules/checkWitnesses.js'
import { runPhaseTwo } from './rules/runPhaseTwo.js'

/** Slots per block, as in Lucid's Emulator (one block every 20 one-second slots). */
export const SLOTS_PER_BLOCK = 20

/**
 * The undo record of one accepted transaction.
 *
 * @example
 * const rec: TxRecord = devnet.getTxRecord(txHash)!
 */
export interface TxRecord {
  readonly txHash: string
  /** The tx as submitted (resubmit it after a rollback if you want it back). */
  readonly cbor: string
  /** The UTxOs it spent (restored by a rollback). */
  readonly spent: readonly UTxO[]
  /** Flat out-refs (txHash + index) of the outputs it created (removed by a rollback). */
  readonly created: readonly string[]
  /** Datum hashes it added to the datum table. */
  readonly addedDatums: readonly string[]
  /** The devnet's cert state (stake registrations, pools, DReps) before the tx, restored by a rollback. */
  readonly certStateBefore: CertState
}

/**
 * One produced block: its height, slot, hash and the txs it included.
 *
 * @example
 * devnet.getBlock(3)?.txs.map((t) => t.txHash)
 */
export interface BlockRecord {
  readonly height: number
  readonly slot: number
  readonly hash: string
  readonly prevHash: string
  readonly txs: readonly TxRecord[]
  /** The cert state before the block changed it outside its txs (rewards paid, pools retired), if it did. */
  readonly certStateBefore?: CertState
}

/**
 * The chain tip: the last produced block.
 *
 * @example
 * const { height, slot, hash } = devnet.getTip()
 */
export interface ChainTip {
  readonly height: number
  readonly slot: number
  readonly hash: string
}

const GENESIS_HASH = '00'.repeat(32)

/**
 * Lucid's `Emulator` made strict: `submitTx` enforces the Babbage/Conway ledger rules a node
 * enforces (value conservation, min fee, min-UTxO, validity interval with an exclusive TTL,
 * collateral, script integrity hash, reference-script size, the witnesses the ledger requires,
 * every Conway certificate against the ledger's own registration state, withdrawals, phase-2 by the
 * real UPLC machine, budgets) and rejects each violation with a `DevnetRuleError` carrying a stable
 * `code`. None of the Emulator's own submit checks runs: they ignore most Conway certificates and
 * trust the refund a certificate states. It keeps per-block records: the height each tx was
 * included at, the chain tip, and `rollback(n)` of the last n blocks (UTxOs and cert state).
 * It remains a Lucid `Provider`: `await Lucid(devnet, 'Custom')`.
 *
 * @example
 * const devnet = new StrictEmulator([generateEmulatorAccount({ lovelace: 100_000_000_000n })])
 * const lucid = await Lucid(devnet, 'Custom')
 * const txHash = await devnet.submitTx(signedCbor) // throws DevnetRuleError on a violation
 * devnet.awaitBlock(3)
 * devnet.getConfirmations(txHash) // 3
 */
export class StrictEmulator extends Emulator {
  /** POSIX ms of slot 0 (the slot config Plutus scripts see). */
  readonly genesisTime: number
  private readonly blocks: BlockRecord[] = []
  private pending: TxRecord[] = []
  private readonly txHeights = new Map<string, number>()
  private certState: CertState = emptyCertState()
  /** The cert state before the block being produced changed it outside its txs. */
  private blockCertStateBefore: CertState | undefined

  /**
   * @param genesisTime POSIX ms of slot 0; default now (the Emulator's default). A whole second keeps
   *   Blockfrost's `/genesis` `system_start` (in seconds) exact.
   */
  constructor(accounts: EmulatorAccount[], protocolParameters: ProtocolParameters = PROTOCOL_PARAMETERS_DEFAULT, genesisTime?: number) {
    super(accounts, protocolParameters)
    if (genesisTime !== undefined) this.time = genesisTime
    this.genesisTime = this.time
    this.blocks.push({ height: 0, slot: 0, hash: GENESIS_HASH, prevHash: GENESIS_HASH, txs: [] })
  }

  /**
   * Validates a signed tx against the ledger rules and, if valid, adds it to the mempool (it is
   * included in the next block). Rejects with `DevnetRuleError` (see `DevnetRuleCode`); a rejected tx
   * changes nothing.
   *
   * @example
   * const txHash = await devnet.submitTx(signed.toCBOR())
   */
  override async submitTx(cbor: string): Promise<string> {
    const lookup = (ref: string) => this.ledger[ref] ?? this.mempool[ref]
    const ctx = buildRuleContext(cbor, { lookup, protocolParameters: this.protocolParameters, certState: this.certState, slot: this.slot, genesisTime: this.genesisTime })
    checkTxShape(ctx)
    checkValidityInterval(ctx)
    checkOutputs(ctx)
    checkReferenceScripts(ctx)
    const certs = applyCertificates(ctx)
    checkValueConservation(ctx, certs.totals)
    checkFee(ctx)
    checkCollateral(ctx)
    checkWitnesses(ctx)
    checkScriptIntegrity(ctx)
    checkPlutusContext(ctx)
    runPhaseTwo(ctx)
    const changes = applyUtxoChanges(this.utxoTables(), ctx)
    this.pending.push({ txHash: ctx.txHash, cbor, ...changes, certStateBefore: this.certState })
    this.certState = certs.state
    this.chain = chainViewOf(this.certState)
    return ctx.txHash
  }

  /**
   * What the ledger records of a reward address: its deposit as paid, reward balance and
   * delegations; `undefined` if its credential is not registered. Throws a `RangeError` for a
   * string that is not a bech32 reward address.
   *
   * @example
   * devnet.getStakeAccount(rewardAddress) // { deposit: 2000000n, rewards: 0n, poolId: 'pool1…', drep: { kind: 'abstain' } }
   */
  getStakeAccount(rewardAddress: string): StakeAccountInfo | undefined {
    let reward: CML.RewardAddress | undefined
    try {
      reward = CML.RewardAddress.from_address(CML.Address.from_bech32(rewardAddress))
    } catch (error) {
      throw new RangeError(`not a bech32 address: ${rewardAddress}`, { cause: error })
    }
    if (!reward) throw new RangeError(`not a reward address: ${rewardAddress}`)
    const account = this.certState.accounts.get(credentialKey(reward.payment()))
    return account && stakeAccountInfo(account)
  }

  /**
   * A copy of the whole cert state: registered stake credentials, pools, DReps.
   *
   * @example
   * devnet.getCertState().pools.size
   */
  getCertState(): CertState {
    return cloneCertState(this.certState)
  }

  /**
   * The pool and reward balance of a registered reward address (Lucid's `delegationAt`).
   *
   * @example
   * await devnet.getDelegation(rewardAddress) // { poolId: 'pool1…', rewards: 0n }
   */
  override getDelegation(rewardAddress: string): Promise<Delegation> {
    const account = this.getStakeAccount(rewardAddress)
    return Promise.resolve({ poolId: account?.poolId ?? null, rewards: account?.rewards ?? 0n })
  }

  /**
   * Pays `rewards` lovelace to every registered reward account that delegates to a registered pool,
   * then produces a block (as Lucid's Emulator; a rollback of that block takes them back).
   *
   * @example
   * devnet.distributeRewards(5_000_000n)
   */
  override distributeRewards(rewards: bigint): void {
    this.blockCertStateBefore ??= cloneCertState(this.certState)
    for (const account of this.certState.accounts.values()) if (account.pool !== null && this.certState.pools.has(account.pool)) account.rewards += rewards
    this.chain = chainViewOf(this.certState)
    this.awaitBlock()
  }

  /**
   * Advances `height` blocks of `slotsPerBlock` slots each (default 20, as Lucid's Emulator); the
   * first includes the mempool. `slotsPerBlock` 1 gives one-second blocks on a clock that can follow
   * the wall clock (`startLagoon` does); 0 produces blocks without moving the clock.
   *
   * @example
   * devnet.awaitBlock(5)
   * devnet.awaitBlock(1, 1) // one block, one slot later
   */
  override awaitBlock(height = 1, slotsPerBlock = SLOTS_PER_BLOCK): void {
    if (!Number.isInteger(slotsPerBlock) || slotsPerBlock < 0) throw new RangeError(`slotsPerBlock must be a whole number ≥ 0, got ${slotsPerBlock}`)
    const startSlot = this.slot
    this.slot += height * slotsPerBlock
    this.time += height * slotsPerBlock * 1000
    for (let k = 1; k <= height; k++) this.produceBlock(startSlot + k * slotsPerBlock)
  }

  /**
   * Advances `length` slots, producing a block each time a 20-slot boundary is crossed.
   *
   * @example
   * devnet.awaitSlot(45) // two blocks (from slot 0)
   */
  override awaitSlot(length = 1): void {
    const from = this.slot
    this.slot += length
    this.time += length * 1000
    const first = Math.floor(from / SLOTS_PER_BLOCK) + 1
    const last = Math.floor(this.slot / SLOTS_PER_BLOCK)
    for (let b = first; b <= last; b++) this.produceBlock(b * SLOTS_PER_BLOCK)
  }

  /**
   * The chain tip (the last produced block; genesis is height 0).
   *
   * @example
   * devnet.getTip() // { height: 4, slot: 80, hash: '…' }
   */
  getTip(): ChainTip {
    const tip = this.blocks[this.blocks.length - 1]!
    return { height: tip.height, slot: tip.slot, hash: tip.hash }
  }

  /**
   * The block at `height` on the current chain, if produced.
   *
   * @example
   * devnet.getBlock(1)?.txs.length
   */
  getBlock(height: number): BlockRecord | undefined {
    return this.blocks[height]
  }

  /**
   * The height of the block that included `txHash`; `undefined` while it is in the mempool, or
   * if it is unknown (never accepted, or rolled back).
   *
   * @example
   * devnet.getTxBlockHeight(txHash) // 1
   */
  getTxBlockHeight(txHash: string): number | undefined {
    return this.txHeights.get(txHash)
  }

  /**
   * Confirmations of a tx: tip height − inclusion height + 1 (the including block counts), 0
   * while in the mempool, `undefined` if unknown (never accepted, or rolled back).
   *
   * @example
   * await devnet.submitTx(cbor); devnet.awaitBlock(3); devnet.getConfirmations(txHash) // 3
   */
  getConfirmations(txHash: string): number | undefined {
    const height = this.txHeights.get(txHash)
    if (height !== undefined) return this.getTip().height - height + 1
    return this.pending.some((r) => r.txHash === txHash) ? 0 : undefined
  }

  /**
   * The undo record of an accepted tx still on the chain or in the mempool.
   *
   * @example
   * devnet.getTxRecord(txHash)?.cbor
   */
  getTxRecord(txHash: string): TxRecord | undefined {
    const height = this.txHeights.get(txHash)
    const list = height === undefined ? this.pending : this.blocks[height]?.txs ?? []
    return list.find((r) => r.txHash === txHash)
  }

  /**
   * Undoes the last `n` blocks (and first empties the mempool): every tx in them is undone —
   * its outputs disappear, the outputs it spent come back, the registrations, delegations and
   * deposits of its certificates are undone — and so are the rewards and pool retirements of those
   * blocks. The clock (slot/time) does not move
   * back: new blocks extend the shorter chain from the current slot, as a fork would.
   * Returns the undone txs, newest first, so a test can resubmit them.
   *
   * @example
   * const undone = devnet.rollback(2)
   * undone.map((t) => t.txHash)
   */
  rollback(n: number): TxRecord[] {
    if (!Number.isInteger(n) || n < 0 || n > this.blockHeight) {
      throw new RangeError(`cannot roll back ${n} blocks from height ${this.blockHeight}`)
    }
    const undone: TxRecord[] = []
    for (const record of [...this.pending].reverse()) {
      this.undo(record)
      undone.push(record)
    }
    this.pending = []
    this.mempool = {}
    for (let i = 0; i < n; i++) {
      const block = this.blocks.pop()!
      if (block.certStateBefore) this.certState = cloneCertState(block.certStateBefore)
      for (const record of [...block.txs].reverse()) {
        this.undo(record)
        this.txHeights.delete(record.txHash)
        undone.push(record)
      }
    }
    this.blockHeight -= n
    this.chain = chainViewOf(this.certState)
    return undone
  }

  private produceBlock(slot: number): void {
    const prev = this.blocks[this.blocks.length - 1]!
    const height = prev.height + 1
    const txs = this.pending
    this.pending = []
    for (const [outRef, entry] of Object.entries(this.mempool)) this.ledger[outRef] = entry
    for (const [outRef, { spent }] of Object.entries(this.ledger)) if (spent) delete this.ledger[outRef]
    this.mempool = {}
    const epoch = epochOf(slot)
    if ([...this.certState.pools.values()].some((p) => p.retiring !== null && p.retiring <= epoch)) {
      this.blockCertStateBefore ??= cloneCertState(this.certState)
      reapRetiredPools(this.certState, epoch)
      this.chain = chainViewOf(this.certState)
    }
    const certStateBefore = this.blockCertStateBefore
    this.blockCertStateBefore = undefined
    const hash = createHash('sha256')
      .update(`${prev.hash}:${height}:${slot}:${txs.map((t) => t.txHash).join(',')}`)
      .digest('hex')
    this.blocks.push({ height, slot, hash, prevHash: prev.hash, txs, ...(certStateBefore ? { certStateBefore } : {}) })
    for (const t of txs) this.txHeights.set(t.txHash, height)
    this.blockHeight = height
  }

  private undo(record: TxRecord): void {
    undoUtxoChanges(this.utxoTables(), record)
    this.certState = cloneCertState(record.certStateBefore)
  }

  private utxoTables(): UtxoTables {
    return { ledger: this.ledger, mempool: this.mempool, datumTable: this.datumTable }
  }
}
