import type { L1Output, L1Reader } from './L1Reader.js'

/**
 * The part of the strict devnet (`@lagoon/devnet`'s `StrictEmulator`) that {@link devnetReader} reads.
 *
 * @example
 * devnetReader(createDevnet({ accounts })) // a StrictEmulator is a DevnetLike
 */
export interface DevnetLike {
  getUtxos(address: string): Promise<readonly L1Output[]>
  getTxRecord(txHash: string): { readonly cbor: string; readonly spent: readonly L1Output[] } | undefined
}

/**
 * An {@link L1Reader} on the strict devnet in the same process (tests, the demo): reads the devnet's
 * confirmed UTxOs and tx records directly, no HTTP.
 *
 * @example
 * const l1 = devnetReader(createDevnet({ accounts }))
 */
export function devnetReader(devnet: DevnetLike): L1Reader {
  return {
    utxosAt: (address) => devnet.getUtxos(address),
    getTx: async (txHash) => {
      const r = devnet.getTxRecord(txHash)
      return r && { cbor: r.cbor, inputs: r.spent }
    },
  }
}
