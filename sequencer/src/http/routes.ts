import { encodeCanonical, encodeProof, fromHex, toHex, type KeyTask } from '../core.js'
import { NodeError } from '../errors/NodeError.js'
import { accountJson } from './accountJson.js'
import type { AppDeps } from './AppDeps.js'
import type { RouteDef } from './RouteDef.js'
import { submitMany, submitOne } from './submit.js'
import { buildOpenApi } from './buildOpenApi.js'
import { layer1Routes } from './layer1Routes.js'
import { ACCOUNT, FORCED_RESULT, BATCH_RESULTS, BATCHES, HEALTH, HEX_32, HEX_ACCOUNT, KEY_AUTHORIZATION_REQUEST, PAUSED_RESULT, PROOF, RECEIPT, RECORDS, STATE, UINT_STRING } from './schemas.js'
import { streamRoutes } from './streamRoutes.js'

const CBOR = 'application/cbor'
const MAX_LOG_PAGE = 10_000
const INGRESS = ['PAUSED', 'QUEUE_FULL', 'SHUTTING_DOWN']
const DECODE = ['MALFORMED_CBOR', 'NON_CANONICAL', 'BAD_SHAPE', 'LIMIT_EXCEEDED', 'TOO_LARGE']
const TX_REJECTIONS = ['WRONG_INSTANCE', 'BAD_SIGNATURE', 'BAD_NONCE', 'UNKNOWN_ACCOUNT', 'NO_KEY', 'UNKNOWN_RECIPIENT', 'INSUFFICIENT_BALANCE', 'NO_SUCH_RECORD']

/** The OpenAPI document's title and version. */
export const API_INFO = { title: 'Lagoon sequencer', version: '0.1.0' } as const

function cbor(bytes: Uint8Array, headers: Record<string, string> = {}): Response {
  return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers: { 'content-type': CBOR, ...headers } })
}

function keyTask(kind: 'register' | 'rotate', body: unknown): KeyTask {
  const b = body as { account: string; signature: string; key: string }
  return { kind, account: fromHex(b.account), signature: fromHex(b.signature), key: fromHex(b.key) }
}

/**
 * The API's route table: paths, auth, body and parameter schemas, responses and handlers. The router
 * (`createApp`) and the OpenAPI document (`buildOpenApi`) are both built from it.
 *
 * @example
 * const routes = apiRoutes(deps)
 * buildOpenApi(routes, info)
 */
export function apiRoutes(deps: AppDeps): RouteDef[] {
  const { sequencer, log } = deps
  const maxBatchTxs = deps.maxBatchTxs ?? 4096
  const keyRoute = (kind: 'register' | 'rotate'): RouteDef => ({
    method: 'post',
    path: `/accounts/${kind}`,
    tag: 'accounts',
    summary:
      kind === 'register'
        ? 'Register an account: a CIP-8 key authorization (epoch 0) signed by the wallet through CIP-30 signData'
        : "Rotate an account's layer-2 key: a CIP-8 key authorization for the current epoch",
    auth: 'submit',
    body: { kind: 'json', maxBytes: 32 * 1024, schema: KEY_AUTHORIZATION_REQUEST },
    responses: { 200: { description: 'Applied and durable', schema: RECEIPT } },
    errors: ['BAD_AUTHORIZATION', 'WRONG_TERMS', kind === 'register' ? 'ALREADY_REGISTERED' : 'STALE_AUTHORIZATION', ...(kind === 'rotate' ? ['UNKNOWN_ACCOUNT'] : []), ...INGRESS],
    handler: async (c, { body }) => c.json(await sequencer.submitKeyTask(keyTask(kind, body))),
  })

  let openapi: Record<string, unknown> | undefined
  const routes: RouteDef[] = [
    {
      method: 'post',
      path: '/tx',
      tag: 'transactions',
      summary: 'Submit one signed layer-2 transaction; answers once it is applied and durable',
      auth: 'submit',
      body: { kind: 'cbor', maxBytes: deps.limits.maxTxBytes, description: 'the canonical CBOR of a SignedTx' },
      responses: { 200: { description: 'Applied and durable (or already applied: the original receipt)', schema: RECEIPT } },
      errors: [...DECODE, ...TX_REJECTIONS, ...INGRESS],
      handler: async (c, { body }) => c.json(await submitOne(sequencer, body as Uint8Array)),
    },
    {
      method: 'post',
      path: '/txs',
      tag: 'transactions',
      summary:
        'Submit many signed transactions: a CBOR array of byte strings, each the bytes of one SignedTx. Applied in array order; one result per item',
      auth: 'submit',
      body: { kind: 'cbor', maxBytes: deps.maxBatchBytes ?? 4 * 1024 * 1024, description: `CBOR [* bytes], at most ${maxBatchTxs} items` },
      responses: { 200: { description: 'One result per transaction, in order', schema: BATCH_RESULTS } },
      errors: [...INGRESS],
      notes: 'Each item fails or succeeds on its own, with the codes of `POST /tx` inside its result; the request fails as a whole only for its shape (not a CBOR array of byte strings, too many items), auth, size and ingress.',
      handler: async (c, { body }) => c.json(await submitMany(sequencer, body as Uint8Array, maxBatchTxs)),
    },
    keyRoute('register'),
    keyRoute('rotate'),
    {
      method: 'get',
      path: '/accounts/:id',
      tag: 'accounts',
      summary: 'An account: balance, pending exit, nonce, tree index, key epoch',
      params: { id: HEX_ACCOUNT },
      responses: { 200: { description: 'The account', schema: ACCOUNT } },
      errors: ['NOT_FOUND'],
      handler: (c, { params }) => {
        const a = sequencer.state.getAccount(fromHex(params.id!))
        if (!a) throw new NodeError('NOT_FOUND', `no account ${params.id}`)
        return c.json(accountJson(a))
      },
    },
    {
      method: 'get',
      path: '/accounts/:id/proof',
      tag: 'accounts',
      summary:
        "An account's leaf fields and Merkle proof under a committed root: `batch` (default the latest confirmed; the node answers for the last two batches it took since it started, the one in flight and the anchor's, and for the latest confirmed one, NOT_FOUND for older ones: a relay serves those). proof is the core's canonical CBOR [index, mask, siblings] (hex); a Withdraw redeemer carries the mask-free form, which the SDK's explicitProof derives from it (docs/onchain.md, \"Explicit proofs\")",
      params: { id: HEX_ACCOUNT },
      query: { batch: UINT_STRING },
      example: '/accounts/$ACCOUNT/proof?batch=1',
      responses: { 200: { description: 'The leaf and its proof', schema: PROOF } },
      errors: ['NOT_FOUND'],
      handler: (c, { params, query }) => {
        const l1 = deps.l1
        if (!l1) throw new NodeError('NOT_FOUND', 'this node has no layer 1 configured: no committed batches')
        const b = query.batch !== undefined ? l1.poster.batch(Number(query.batch)) : l1.poster.lastConfirmed()
        if (!b || b.status !== 'confirmed') throw new NodeError('NOT_FOUND', `no confirmed batch ${query.batch ?? ''}`.trim())
        const found = l1.poster.proofAt(b, fromHex(params.id!))
        if (found === 'not kept') {
          throw new NodeError('NOT_FOUND', `this node keeps proofs for its last two batches and the latest confirmed one, not batch ${b.number}: ask a relay, or for the latest confirmed batch`)
        }
        if (!found) throw new NodeError('NOT_FOUND', `no account ${params.id} at batch ${b.number}`)
        const { leaf: at, proof } = found
        return c.json({
          batch: b.number,
          root: b.root,
          leaf: { account: toHex(at.leaf.account), balance: at.leaf.balance.toString(), pendingExit: at.leaf.pendingExit.toString(), nonce: at.leaf.nonce.toString(), recordsRoot: toHex(at.leaf.recordsRoot) },
          index: proof.index,
          mask: proof.mask,
          siblings: toHex(proof.siblings),
          proof: toHex(encodeProof(proof)),
        })
      },
    },
    {
      method: 'get',
      path: '/batches',
      tag: 'batches',
      summary: 'Batches (commitments) from number `from` (default 0), at most `limit` (default 100): number, root, log range, log head, L1 tx hash, status, absorbed deposits',
      query: { from: UINT_STRING, limit: UINT_STRING },
      example: '/batches?from=0&limit=100',
      responses: { 200: { description: 'The batches, in order (empty without a layer 1)', schema: BATCHES } },
      handler: (c, { query }) => {
        if (!deps.l1) return c.json([])
        return c.json(deps.l1.poster.batches(Number(query.from ?? '0'), Math.min(1000, Math.max(1, Number(query.limit ?? '100')))))
      },
    },
    {
      method: 'post',
      path: '/admin/batch',
      tag: 'admin',
      summary: 'Force a batch at the next layer-1 round',
      auth: 'admin',
      responses: { 200: { description: 'Scheduled', schema: FORCED_RESULT } },
      errors: ['NOT_FOUND'],
      handler: (c) => {
        if (!deps.l1) throw new NodeError('NOT_FOUND', 'this node has no layer 1 configured')
        deps.l1.poster.forceBatch()
        return c.json({ forced: true })
      },
    },
    {
      method: 'get',
      path: '/accounts/:id/records',
      tag: 'accounts',
      summary: "An account's records, sorted by key (hex keys and values)",
      params: { id: HEX_ACCOUNT },
      responses: { 200: { description: 'The records', schema: RECORDS } },
      errors: ['NOT_FOUND'],
      handler: (c, { params }) => {
        const id = fromHex(params.id!)
        if (!sequencer.state.getAccount(id)) throw new NodeError('NOT_FOUND', `no account ${params.id}`)
        return c.json(sequencer.state.recordsOf(id).map((r) => ({ key: toHex(r.key), value: toHex(r.value) })))
      },
    },
    {
      method: 'get',
      path: '/receipts/:txId',
      tag: 'transactions',
      summary: 'The receipt of an applied task, by tx id',
      params: { txId: HEX_32 },
      responses: { 200: { description: 'The receipt', schema: RECEIPT } },
      errors: ['NOT_FOUND'],
      handler: (c, { params }) => {
        const r = sequencer.receipt(fromHex(params.txId!))
        if (!r) throw new NodeError('NOT_FOUND', `no applied task ${params.txId}`)
        return c.json(r)
      },
    },
    {
      method: 'get',
      path: '/log',
      tag: 'log',
      summary: `The task log from seq \`from\` (default 1), at most \`limit\` entries (default 1000, max ${MAX_LOG_PAGE}): CBOR [* [seq, taskBytes, head]]. Header lagoon-next-from is where the next page starts; lagoon-log-seq is the last seq`,
      query: { from: UINT_STRING, limit: UINT_STRING },
      example: '/log?from=1&limit=1000',
      responses: { 200: { description: 'A page of the log', contentType: CBOR } },
      handler: (_c, { query }) => {
        const from = Math.max(1, Number(query.from ?? '1'))
        const limit = Math.min(MAX_LOG_PAGE, Math.max(1, Number(query.limit ?? '1000')))
        // Only what is on disk: a committed entry is served once its sync is done (the log never forks).
        const durable = sequencer.durableSeq
        const entries = from > durable ? [] : log.range(from, Math.min(limit, durable - from + 1))
        const next = entries.length > 0 ? entries[entries.length - 1]!.seq + 1 : from
        const body = encodeCanonical(entries.map((e) => [e.seq, e.bytes, e.head]))
        return cbor(body, { 'lagoon-next-from': String(next), 'lagoon-log-seq': String(sequencer.tip.seq) })
      },
    },
    {
      method: 'get',
      path: '/state',
      tag: 'state',
      summary: 'The tip: last seq, log head and the state root over every applied task',
      responses: { 200: { description: 'The tip', schema: STATE } },
      handler: (c) => {
        const root = sequencer.state.root()
        const { seq, head } = sequencer.tip
        return c.json({ seq, logHead: toHex(head), root: toHex(root), accounts: sequencer.state.accountCount() })
      },
    },
    {
      method: 'post',
      path: '/admin/pause',
      tag: 'admin',
      summary: 'Pause ingress (submissions answer 503 PAUSED; queued tasks still apply)',
      auth: 'admin',
      responses: { 200: { description: 'Paused', schema: PAUSED_RESULT } },
      handler: (c) => {
        sequencer.pause()
        return c.json({ paused: true })
      },
    },
    {
      method: 'post',
      path: '/admin/resume',
      tag: 'admin',
      summary: 'Resume ingress',
      auth: 'admin',
      responses: { 200: { description: 'Resumed', schema: PAUSED_RESULT } },
      handler: (c) => {
        sequencer.resume()
        return c.json({ paused: false })
      },
    },
    {
      method: 'get',
      path: '/health',
      tag: 'operations',
      summary: 'Liveness, the tip, and whether commitments are halted',
      responses: { 200: { description: 'Healthy', schema: HEALTH } },
      handler: (c) => {
        const { seq, head } = sequencer.tip
        return c.json({ status: 'ok', seq, logHead: toHex(head), queueDepth: sequencer.queueDepth, paused: sequencer.paused, ...(deps.l1?.poster.halted ? { halted: deps.l1.poster.halted } : {}) })
      },
    },
    {
      method: 'get',
      path: '/metrics',
      tag: 'operations',
      summary: 'Prometheus metrics',
      responses: { 200: { description: 'Text exposition format', contentType: 'text/plain' } },
      handler: () => new Response(deps.metrics.render(), { headers: { 'content-type': 'text/plain; version=0.0.4' } }),
    },
    ...layer1Routes(deps),
    ...streamRoutes(deps),
    {
      method: 'get',
      path: '/openapi.json',
      tag: 'operations',
      summary: 'This API as an OpenAPI 3.1 document, generated from the route table',
      responses: { 200: { description: 'The OpenAPI document' } },
      handler: (c) => c.json((openapi ??= buildOpenApi(routes, API_INFO))),
    },
  ]
  return routes
}
