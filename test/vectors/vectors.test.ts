import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Constr, Data } from '@lucid-evolution/lucid'
import { describe, expect, it } from 'vitest'
import { fromHex, toHex } from '../../sdk/src/core/bytes.js'
import { loadBlake2b256 } from '../../sdk/src/core/crypto/blake2b256.js'
import { DEFAULT_LIMITS } from '../../sdk/src/core/limits.js'
import { GENESIS_LOG_HEAD, nextLogHead } from '../../sdk/src/core/log/nextLogHead.js'
import { decodeProof, verifyProof } from '../../sdk/src/core/merkle/proof.js'
import { decodeSignedTx } from '../../sdk/src/core/tx/decodeSignedTx.js'
import { createNodeEd25519Verify } from '../../sdk/src/node/createNodeEd25519Verify.js'
import { buildVectors } from './buildVectors.js'

const read = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, `${name}.json`), 'utf8'))

describe('golden vectors', () => {
  const built = JSON.parse(JSON.stringify(buildVectors()))

  it('the committed files are what the core computes (run `npm run vectors` after an intended change)', () => {
    for (const name of Object.keys(built)) expect(read(name), `${name}.json`).toEqual(built[name])
  })

  it('hold together with the fast hash and the node verifier: ids, signatures, heads, proofs', async () => {
    const fast = await loadBlake2b256()
    const verify = createNodeEd25519Verify()
    for (const v of read('tx').vectors) {
      const t = decodeSignedTx(fromHex(v.signedTxCbor), fast, DEFAULT_LIMITS)
      expect(toHex(t.id)).toBe(v.txId)
      expect(toHex(t.bodyBytes)).toBe(v.bodyCbor)
      expect(verify(fromHex(v.l2PublicKey), t.id, t.signature)).toBe(true)
    }
    const log = read('log')
    let head = GENESIS_LOG_HEAD
    for (const s of log.steps) {
      head = nextLogHead(fast, head, s.seq, fromHex(s.taskCbor))
      expect(toHex(head)).toBe(s.head)
    }
    expect(toHex(head)).toBe(log.finalHead)
    for (const p of log.proofs) {
      const proof = decodeProof(fromHex(p.proofCbor))
      expect(proof).toEqual({ index: p.index, mask: p.mask, siblings: fromHex(p.siblings) })
      expect(toHex(fast(fromHex(p.leaf.leafBytes)))).toBe(p.leaf.leafHash)
      expect(verifyProof(fast, fromHex(log.finalRoot), fromHex(p.leaf.leafHash), proof)).toBe(true)
    }
  })

  it('leaf bytes are the Plutus data Lucid encodes for Constr 0 [account, balance, pendingExit, nonce, recordsRoot]', () => {
    for (const v of read('leaf').vectors) {
      const data = Data.to(new Constr(0, [v.account, BigInt(v.balance), BigInt(v.pendingExit), BigInt(v.nonce), v.recordsRoot]))
      expect(data, v.name).toBe(v.leafBytes)
    }
  })
})
