import { describe, expect, it } from 'vitest'
import { generatePrivateKey, generateSeedPhrase, getAddressDetails, walletFromSeed } from '@lucid-evolution/lucid'
import { ClientError } from '../../src/client/errors.js'
import { privateKeyOf, walletIdentity } from '../../src/client/layer1.js'
import { user } from '../support/world.js'

describe('wallet keys for the layer-1 actions', () => {
  it('takes a bech32 key as it is, and derives the account and enterprise address', () => {
    const u = user(71)
    expect(privateKeyOf(`  ${u.walletKey}\n`, 'Custom')).toBe(u.walletKey)
    const id = walletIdentity(u.walletKey, 'Custom')
    expect(id.account).toBe(Buffer.from(u.account).toString('hex'))
    expect(id.addressHex).toBe(u.addressHex)
    expect(id.address).toMatch(/^addr_test1v/)
    expect(walletIdentity(generatePrivateKey(), 'Mainnet').address).toMatch(/^addr1v/)
  })

  it("uses a mnemonic's first payment key: the same account as the wallet's base address", () => {
    const seed = generateSeedPhrase()
    const key = privateKeyOf(seed, 'Preprod')
    expect(key).toMatch(/^ed25519e_sk1/)
    const base = walletFromSeed(seed, { addressType: 'Base', accountIndex: 0, network: 'Preprod' }).address
    expect(walletIdentity(key, 'Preprod').account).toBe(getAddressDetails(base).paymentCredential!.hash)
  })

  it('refuses anything else with INVALID_ARGUMENT', () => {
    for (const bad of ['hello', 'ed25519_sk1notbech32', `${'abandon '.repeat(11)}zzzz`]) {
      const e = (() => {
        try {
          walletIdentity(privateKeyOf(bad, 'Preprod'), 'Preprod')
        } catch (x) {
          return x
        }
      })()
      expect(e).toBeInstanceOf(ClientError)
      expect(e).toMatchObject({ code: 'INVALID_ARGUMENT' })
    }
  })
})
