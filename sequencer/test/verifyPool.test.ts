import { createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_VERIFY_NICE, VerifyPool } from '../src/queue/VerifyPool.js'

const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex')
const pools: VerifyPool[] = []
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close()
})

function signed(): { key: Uint8Array; msg: Uint8Array; sig: Uint8Array } {
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8, randomBytes(32)]), format: 'der', type: 'pkcs8' })
  const key = new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(12))
  const msg = new Uint8Array(randomBytes(32))
  return { key, msg, sig: new Uint8Array(sign(null, msg, priv)) }
}

/** The nice value of every thread of this process (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((t) => {
    const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
  })
}

/** Verifies enough in one turn that every worker gets a share (so each has started and set its priority). */
async function useAll(pool: VerifyPool): Promise<boolean[]> {
  const s = signed()
  return Promise.all(Array.from({ length: 4 * pool.size }, () => pool.verify(s.key, s.msg, s.sig)))
}

describe('VerifyPool', () => {
  it('verifies on its workers: a valid signature true, a tampered one or a malformed input false', async () => {
    const pool = new VerifyPool(2)
    pools.push(pool)
    const s = signed()
    const bad = s.sig.slice()
    bad[0]! ^= 1
    expect(await Promise.all([pool.verify(s.key, s.msg, s.sig), pool.verify(s.key, s.msg, bad), pool.verify(s.key.subarray(1), s.msg, s.sig)])).toEqual([true, false, false])
  })

  it.runIf(process.platform === 'linux')('runs its workers below the applier’s priority, and only them', async () => {
    const before = threadNices().filter((n) => n === DEFAULT_VERIFY_NICE).length
    const pool = new VerifyPool(2)
    pools.push(pool)
    expect(await useAll(pool)).toEqual(Array(8).fill(true))
    const nices = threadNices()
    expect(nices.filter((n) => n === DEFAULT_VERIFY_NICE).length - before).toBe(2)
    expect(nices).toContain(0) // the main thread keeps the process's priority
    const plain = new VerifyPool(2, { nice: 0 })
    pools.push(plain)
    expect(await useAll(plain)).toEqual(Array(8).fill(true))
    expect(threadNices().filter((n) => n === DEFAULT_VERIFY_NICE).length - before).toBe(2)
  })
})
