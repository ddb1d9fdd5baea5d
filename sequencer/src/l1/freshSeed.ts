import { randomInt } from 'node:crypto'
import type { LucidEvolution, UTxO } from '@lucid-evolution/lucid'
import { NodeError } from '../errors/NodeError.js'

/**
 * A seed no earlier instance can have been minted from, for a devnet's instance: an output of a new
 * transaction in which the selected wallet pays itself a random amount (2–3 ADA). A devnet's genesis
 * outputs are `00…00#i` on every run, so minting from one gives every run the same instance id, and a
 * registration signed for one demo would be valid on the next; this output's tx hash is new each
 * time. `submit` sends the signed tx, `confirm` makes the chain include it (a block).
 *
 * @example
 * const seed = await freshSeed(chain.lucid, (cbor) => chain.submit(cbor), () => devnet.awaitBlock(1))
 * const { scripts, tx } = buildInitTx(chain.lucid, { seed, operator, exodusTimeout, now })
 */
export async function freshSeed(lucid: LucidEvolution, submit: (cbor: string) => Promise<string>, confirm: () => unknown): Promise<UTxO> {
  const address = await lucid.wallet().address()
  const lovelace = 2_000_000n + BigInt(randomInt(0, 1_000_000))
  const signed = await (await lucid.newTx().pay.ToAddress(address, { lovelace }).complete()).sign.withWallet().complete()
  const txHash = await submit(signed.toCBOR())
  await confirm()
  const seed = (await lucid.wallet().getUtxos()).find((u) => u.txHash === txHash && u.assets.lovelace === lovelace)
  if (!seed) throw new NodeError('INTERNAL', `the seed tx ${txHash} is not on the chain after a block`)
  return seed
}
