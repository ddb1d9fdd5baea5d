import { toHex } from '../../sdk/src/core/bytes.js'
import { blake2b256Reference as hash } from '../../sdk/src/core/crypto/blake2b256.js'
import { MemoryLedger } from '../../sdk/src/core/ledger/MemoryLedger.js'
import { emptyHashes } from '../../sdk/src/core/merkle/emptyHashes.js'
import { encodeProof } from '../../sdk/src/core/merkle/proof.js'
import { leafBytes, type LeafFields } from '../../sdk/src/core/state/leafBytes.js'
import { leafHash } from '../../sdk/src/core/state/leafHash.js'
import { recordHash, recordsRoot } from '../../sdk/src/core/state/recordsRoot.js'
import { encodeTask } from '../../sdk/src/core/task/encodeTask.js'
import type { Task } from '../../sdk/src/core/task/types.js'
import { MAX_LOVELACE } from '../../sdk/src/core/limits.js'
import type { Action } from '../../sdk/src/core/tx/types.js'
import { INSTANCE, OPERATOR, PARAMS, TERMS, context, keyTask, l1Hash, tx, user } from '../../sdk/test/support/world.js'

const utf8 = (s: string) => new TextEncoder().encode(s)
const alice = user(1)
const bob = user(2)
const carol = user(3)

function leafVector(name: string, f: LeafFields) {
  return {
    name,
    account: toHex(f.account),
    balance: f.balance.toString(),
    pendingExit: f.pendingExit.toString(),
    nonce: f.nonce.toString(),
    recordsRoot: toHex(f.recordsRoot),
    leafBytes: toHex(leafBytes(f)),
    leafHash: toHex(leafHash(hash, f)),
  }
}

function txVectors() {
  const cases: [string, number, Action[], bigint][] = [
    ['transfer', 0, [{ type: 'transfer', to: bob.account, amount: 5_000_000n }], 0n],
    ['withdraw with fee', 1, [{ type: 'withdraw', amount: 2_000_000n }], 170_000n],
    ['put and delete', 2, [{ type: 'put', key: utf8('shop/cart'), value: utf8('{"items":3}') }, { type: 'delete', key: utf8('shop/old') }], 0n],
    ['largest amount', 2 ** 40, [{ type: 'transfer', to: carol.account, amount: MAX_LOVELACE }], 4_294_967_296n],
  ]
  return cases.map(([name, nonce, actions, fee]) => {
    const t = tx(alice, nonce, actions, fee)
    return {
      name,
      l2SecretKey: toHex(alice.l2Secret),
      l2PublicKey: toHex(alice.l2Key),
      bodyCbor: toHex(t.bodyBytes),
      txId: toHex(t.id),
      signature: toHex(t.signature),
      signedTxCbor: toHex(t.bytes),
    }
  })
}

/** The fixed task sequence whose heads, roots and proofs the vectors pin. */
export function vectorTasks(): Task[] {
  return [
    keyTask(alice),
    keyTask(bob),
    { kind: 'deposit', txHash: l1Hash(1), index: 0, owner: alice.account, amount: 100_000_000n },
    { kind: 'deposit', txHash: l1Hash(2), index: 1, owner: carol.account, amount: 7_000_000n },
    { kind: 'tx', tx: tx(alice, 0, [{ type: 'transfer', to: bob.account, amount: 25_000_000n }], 200_000n) },
    { kind: 'tx', tx: tx(bob, 0, [{ type: 'withdraw', amount: 10_000_000n }, { type: 'put', key: utf8('k'), value: utf8('v') }]) },
    { kind: 'exitPaid', account: bob.account, amount: 10_000_000n, txHash: l1Hash(3) },
    { kind: 'tx', tx: tx(alice, 1, [{ type: 'put', key: utf8('game/level'), value: new Uint8Array([7]) }, { type: 'put', key: utf8('a'), value: new Uint8Array(100) }]) },
  ]
}

/**
 * Every golden vector, computed by the protocol core from fixed keys. `npm run vectors` writes them to
 * `test/vectors/*.json`; `vectors.test.ts` fails when the files and the code disagree.
 *
 * @example
 * const { tx, leaf, log } = buildVectors()
 */
export function buildVectors() {
  const ledger = new MemoryLedger(context())
  const steps = vectorTasks().map((task) => {
    const r = ledger.submit(task)
    if (!r.ok) throw new Error(`vector task refused: ${r.rejection.code}`)
    return { kind: task.kind, seq: r.seq, taskCbor: toHex(encodeTask(task)), head: toHex(r.head), root: toHex(ledger.state.root()) }
  })
  const proofs = ledger.state.allAccounts().map((acc) => {
    const p = ledger.state.prove(acc.id)!
    return {
      account: toHex(acc.id),
      index: p.proof.index,
      mask: p.proof.mask,
      siblings: toHex(p.proof.siblings),
      proofCbor: toHex(encodeProof(p.proof)),
      leaf: leafVector(`account ${acc.index}`, p.leaf),
    }
  })
  const records = [
    { key: utf8('a'), value: new Uint8Array(0) },
    { key: utf8('b'), value: utf8('hello') },
  ]
  const recordHashes = records.map((r) => recordHash(hash, r.key, r.value))
  return {
    tx: { description: 'Layer-2 transactions signed with the l2SecretKey (ed25519 over the tx id); txId = blake2b-256(bodyCbor).', vectors: txVectors() },
    leaf: {
      description: 'Account leaves: leafBytes = serialiseData(Constr 0 [account, balance, pendingExit, nonce, recordsRoot]); leafHash = blake2b-256(leafBytes).',
      vectors: [
        leafVector('zero account', { account: new Uint8Array(28), balance: 0n, pendingExit: 0n, nonce: 0, recordsRoot: new Uint8Array(32) }),
        leafVector('small values', { account: alice.account, balance: 23n, pendingExit: 24n, nonce: 1, recordsRoot: new Uint8Array(32).fill(0xff) }),
        leafVector('large values', { account: bob.account, balance: MAX_LOVELACE, pendingExit: 2n ** 64n - 1n, nonce: 2 ** 53 - 1, recordsRoot: hash(utf8('r')) }),
      ],
      records: {
        description: 'recordHash = blake2b-256(cbor [key, value]); recordsRoot = blake2b-256(concat of record hashes sorted by key), 0^32 when empty.',
        records: records.map((r, i) => ({ key: toHex(r.key), value: toHex(r.value), recordHash: toHex(recordHashes[i]!) })),
        recordsRoot: toHex(recordsRoot(hash, recordHashes)),
      },
    },
    tree: {
      description: 'Sparse Merkle tree of depth 32: empty[0] = 0^32, empty[l+1] = H(empty[l] ‖ empty[l]); node = H(left ‖ right).',
      empty: emptyHashes(hash).map(toHex),
    },
    log: {
      description: 'A fixed task sequence applied from the empty state: after each task its seq, log head H(prev ‖ u64be(seq) ‖ taskCbor), and the state root; then a proof of every account.',
      params: { instance: toHex(INSTANCE), operator: toHex(OPERATOR.account), terms: toHex(TERMS), limits: { ...PARAMS.limits, minWithdrawal: PARAMS.limits.minWithdrawal.toString() } },
      steps,
      finalRoot: toHex(ledger.state.root()),
      finalHead: toHex(ledger.head),
      proofs,
    },
  }
}
