import { describe, expect, it } from 'vitest'
import { Constr, Data } from '@lucid-evolution/lucid'
import { anchorDatumFromData, anchorDatumToData, anchorRedeemerFromData, anchorRedeemerToData, depositDatumFromData, depositDatumToData, depositsHash, EMPTY_HASHES, explicitProof, leafToData, maskedProof, withdrawRedeemerCbor, type AnchorDatum } from '../../src/l1/data.js'
import { lucidRefScriptSurcharge } from '../../src/l1/exactFee.js'
import { emptyHashes } from '../../src/core/merkle/emptyHashes.js'
import { blake2b256Reference } from '../../src/core/crypto/blake2b256.js'
import { toHex } from '../../src/core/bytes.js'

const datum: AnchorDatum = { root: 'aa'.repeat(32), batch: 7n, logHead: 'bb'.repeat(32), logSeq: 42n, operator: 'cc'.repeat(28), lastCommit: 1_700_000_000_000n, exodusTimeout: 86_400_000n, mode: 'frozen', depositsHash: 'dd'.repeat(32) }

describe('Aiken-form Plutus data, round-tripped through Lucid Data', () => {
  it('AnchorDatum is Constr 0 [..9 fields], mode Frozen = Constr 1 []', () => {
    const cbor = Data.to(anchorDatumToData(datum))
    expect(cbor).toBe('d8799f5820' + 'aa'.repeat(32) + '075820' + 'bb'.repeat(32) + '182a581c' + 'cc'.repeat(28) + '1b0000018bcfe56800' + '1a05265c00' + 'd87a80' + '5820' + 'dd'.repeat(32) + 'ff')
    expect(anchorDatumFromData(Data.from(cbor))).toEqual(datum)
  })
  it('DepositDatum and redeemers', () => {
    const d = { owner: 'ee'.repeat(28), refundAfter: 5n }
    expect(Data.to(depositDatumToData(d))).toBe('d8799f581c' + 'ee'.repeat(28) + '05ff')
    expect(depositDatumFromData(Data.to(depositDatumToData(d)))).toEqual(d)
    expect(Data.to(anchorRedeemerToData({ type: 'commit' }))).toBe('d87980')
    expect(Data.to(anchorRedeemerToData({ type: 'freeze' }))).toBe('d87b80')
    const exit = { leaf: { account: new Uint8Array(28).fill(1), balance: 3n, pendingExit: 2n, nonce: 1n, recordsRoot: new Uint8Array(32) }, proof: { index: 5, mask: 1, siblings: new Uint8Array(32).fill(9) } }
    const r = anchorRedeemerToData({ type: 'withdraw', exits: [exit] })
    expect(r.index).toBe(1)
    expect(anchorRedeemerFromData(Data.from(Data.to(r)))).toEqual({ type: 'withdraw', exits: [exit], empties: EMPTY_HASHES })
  })
  it('the compact Withdraw CBOR is the same Plutus data, with each leaf in the canonical (indefinite) encoding', () => {
    const exit = { leaf: { account: new Uint8Array(28).fill(1), balance: 3n, pendingExit: 2n, nonce: 1n, recordsRoot: new Uint8Array(32) }, proof: { index: 5, mask: 0b101, siblings: new Uint8Array(64).fill(9) } }
    for (const [exodus, empties] of [[false, ''], [true, EMPTY_HASHES]] as const) {
      const cbor = withdrawRedeemerCbor(exodus, [exit, exit], empties)
      expect(Data.to(Data.from(cbor))).toBe(Data.to(anchorRedeemerToData({ type: exodus ? 'exodusWithdraw' : 'withdraw', exits: [exit, exit], empties })))
      expect(cbor).toContain(Data.to(leafToData(exit.leaf))) // d8799f…ff: what serialise_data gives on a node
      expect(cbor.length).toBeLessThan(Data.to(Data.from(cbor)).length)
      expect(anchorRedeemerFromData(Data.from(cbor))).toEqual({ type: exodus ? 'exodusWithdraw' : 'withdraw', exits: [exit, exit], empties })
    }
  })
  it('explicit proofs: every sibling up to the highest mask or index bit, empty ones filled in; and back', () => {
    const empty = emptyHashes(blake2b256Reference)
    const sib = new Uint8Array(32).fill(7)
    const p = explicitProof({ index: 0b1000, mask: 0b0010, siblings: sib })
    expect(p.siblings.length).toBe(4 * 32) // index bit 3 needs 4 levels
    expect(toHex(p.siblings)).toBe(toHex(empty[0]!) + toHex(sib) + toHex(empty[2]!) + toHex(empty[3]!))
    expect(maskedProof(p)).toEqual({ index: 0b1000, mask: 0b0010, siblings: sib })
    expect(explicitProof({ index: 0, mask: 0, siblings: new Uint8Array(0) }).siblings.length).toBe(0)
    expect(EMPTY_HASHES).toBe(empty.slice(0, 32).map(toHex).join(''))
  })
  it("Lucid's reference-script surcharge (what exactFee gives back)", () => {
    expect(lucidRefScriptSurcharge(0)).toBe(0n)
    expect(lucidRefScriptSurcharge(4_000)).toBe(60_000n)
    expect(lucidRefScriptSurcharge(30_000)).toBe(25_000n * 15n + 5_000n * 18n)
  })
  it('deposits hash of no deposits is blake2b-256(0x80)', () => {
    expect(depositsHash([])).toBe('45b0cfc220ceec5b7c1c62c4d4193d38e4eba48e8815729ce75f9c0ab0e4c1c0')
    expect(Data.to(new Constr(0, []))).toBe('d87980')
  })
})

describe('buildDepositTx never builds a deposit no one could spend', () => {
  it('refuses an owner that is not 28 bytes of hex and a refund time outside [0, 2^64), before touching Lucid', async () => {
    const { buildDepositTx, L1BuildError } = await import('../../src/l1/index.js')
    const never = new Proxy({}, { get: () => { throw new Error('Lucid was used') } }) as never
    for (const datum of [{ owner: 'ab'.repeat(27), refundAfter: 5n }, { owner: 'AB'.repeat(28), refundAfter: 5n }, { owner: 'ab'.repeat(28), refundAfter: -1n }, { owner: 'ab'.repeat(28), refundAfter: 1n << 64n }]) {
      let err: unknown
      try {
        buildDepositTx(never, never, datum, 5_000_000n)
      } catch (e) {
        err = e
      }
      expect(err, JSON.stringify(datum, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBeInstanceOf(L1BuildError)
      expect((err as InstanceType<typeof L1BuildError>).code).toBe('INVALID_ARGUMENT')
    }
  })
})
