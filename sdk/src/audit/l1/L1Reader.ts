/**
 * An unspent (or spent, when read from a tx's inputs) layer-1 output, as Lucid's `UTxO` has it.
 *
 * @example
 * const anchor = (await l1.utxosAt(scripts.anchorAddress)).find((o) => o.assets[scripts.unit] === 1n)
 */
export interface L1Output {
  readonly txHash: string
  readonly outputIndex: number
  /** bech32 */
  readonly address: string
  /** `lovelace` and `policyId + assetName` units. */
  readonly assets: Record<string, bigint>
  /** The inline datum's CBOR hex, when the reader has it. */
  readonly datum?: string | null
}

/**
 * A confirmed layer-1 tx: its CBOR and the outputs it spent (not collateral nor reference inputs).
 *
 * @example
 * const { cbor, inputs } = (await l1.getTx(txHash))!
 */
export interface L1TxRecord {
  readonly cbor: string
  readonly inputs: readonly L1Output[]
}

/**
 * What the auditor and the relay read from layer 1, and nothing more: the confirmed UTxOs at an address
 * and a confirmed tx (its CBOR and spent outputs). Two implementations: `blockfrostReader` (any
 * Blockfrost-compatible HTTP API: Blockfrost, the devnet's `serveBlockfrost`, Yaci DevKit) and
 * `devnetReader` (the strict devnet in the same process). The node's `L1Chain` has the same two
 * methods, so a `DevnetChain` or `BlockfrostChain` is an `L1Reader` too.
 *
 * @example
 * const l1: L1Reader = blockfrostReader({ url: 'https://cardano-preprod.blockfrost.io/api/v0', projectId })
 * const anchor = (await l1.utxosAt(scripts.anchorAddress)).find((u) => u.assets[scripts.unit] === 1n)
 */
export interface L1Reader {
  utxosAt(address: string): Promise<readonly L1Output[]>
  /** undefined when the chain does not know the tx (never seen, or rolled back). */
  getTx(txHash: string): Promise<L1TxRecord | undefined>
}
