import type { JsonSchema } from './schema.js'

/** Reusable schemas of the API (requests and responses). */
export const HEX_ACCOUNT: JsonSchema = { type: 'string', pattern: '^[0-9a-f]{56}$', description: 'account: 28-byte payment key hash, hex' }
export const HEX_32: JsonSchema = { type: 'string', pattern: '^[0-9a-f]{64}$', description: '32 bytes, hex' }
export const HEX_COSE: JsonSchema = { type: 'string', pattern: '^([0-9a-f]{2}){1,4096}$', description: 'CBOR bytes, hex (at most 4 KiB)' }
export const UINT_STRING: JsonSchema = { type: 'string', pattern: '^[0-9]{1,16}$' }

/** `POST /accounts/register` and `/accounts/rotate`: the CIP-8 output of CIP-30 `signData`. */
export const KEY_AUTHORIZATION_REQUEST: JsonSchema = {
  type: 'object',
  properties: {
    account: HEX_ACCOUNT,
    signature: { ...HEX_COSE, description: 'COSE_Sign1, hex' } as JsonSchema,
    key: { ...HEX_COSE, description: 'COSE_Key, hex' } as JsonSchema,
  },
  required: ['account', 'signature', 'key'],
  additionalProperties: false,
}

export const RECEIPT: JsonSchema = {
  type: 'object',
  properties: { txId: HEX_32, seq: { type: 'integer', minimum: 1 }, logHead: HEX_32 },
  required: ['txId', 'seq', 'logHead'],
}

export const ERROR: JsonSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object', properties: {} } },
  required: ['code', 'message'],
}

export const ACCOUNT: JsonSchema = {
  type: 'object',
  properties: {
    id: HEX_ACCOUNT,
    index: { type: 'integer' },
    l2Key: { type: 'string', description: 'hex, or absent before registration' },
    keyEpoch: { type: 'integer' },
    balance: { type: 'string', description: 'lovelace, decimal' },
    pendingExit: { type: 'string', description: 'lovelace, decimal' },
    nonce: { type: 'integer' },
    recordCount: { type: 'integer' },
  },
  required: ['id', 'index', 'keyEpoch', 'balance', 'pendingExit', 'nonce', 'recordCount'],
}

export const RECORDS: JsonSchema = {
  type: 'array',
  items: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'string' } }, required: ['key', 'value'] },
}

export const BATCH_RESULTS: JsonSchema = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      items: { type: 'object', properties: { receipt: RECEIPT, error: ERROR }, description: 'exactly one of receipt / error' },
    },
  },
  required: ['results'],
}

const HEX: JsonSchema = { type: 'string', pattern: '^([0-9a-f]{2})*$', description: 'hex' }
const LOVELACE: JsonSchema = { type: 'string', pattern: '^[0-9]+$', description: 'lovelace, decimal' }

/** `GET /instance`. */
export const INSTANCE: JsonSchema = {
  type: 'object',
  properties: {
    instance: { type: 'string', pattern: '^[0-9a-f]{56}$', description: "the state token's policy id (the instance id)" },
    seed: { type: 'string', pattern: '^[0-9a-f]{64}#[0-9]+$', description: 'txHash#index the state token policy is parameterized by' },
    network: { type: 'string', enum: ['Mainnet', 'Preprod', 'Preview', 'Custom'] },
    anchorAddress: { type: 'string', description: 'bech32' },
    depositAddress: { type: 'string', description: 'bech32' },
    stateTokenUnit: { type: 'string', description: 'policy id + asset name, hex' },
    operatorKeyHash: { type: 'string', pattern: '^[0-9a-f]{56}$', description: 'layer-1 payment key hash signing commitments' },
    operatorAccount: HEX_ACCOUNT,
    exodusTimeoutMs: { type: 'integer', description: 'ms without a commitment before anyone may freeze (null when not yet read from the anchor)' },
    confirmations: { type: 'integer', minimum: 0, description: 'layer-1 confirmations before a deposit is credited' },
    terms: HEX_32,
  },
  required: ['instance', 'seed', 'network', 'anchorAddress', 'depositAddress', 'stateTokenUnit', 'operatorKeyHash', 'operatorAccount', 'exodusTimeoutMs', 'confirmations', 'terms'],
}

/** `GET /accounts/:id/withdrawals`. */
export const WITHDRAWALS: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      amount: LOVELACE,
      requestedSeq: { type: 'integer', minimum: 1 },
      status: { type: 'string', enum: ['requested', 'committed', 'paid'] },
      batch: { type: 'integer', description: 'the confirmed batch holding the request (committed, paid)' },
      paidTx: { ...HEX_32, description: 'the layer-1 tx that paid it (paid)' } as JsonSchema,
    },
    required: ['amount', 'requestedSeq', 'status'],
  },
}

/** One batch of `GET /batches`. */
export const BATCHES: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      number: { type: 'integer', minimum: 1 },
      root: HEX_32,
      firstSeq: { type: 'integer' },
      lastSeq: { type: 'integer' },
      logHead: HEX_32,
      l1Tx: { ...HEX_32, description: 'the commit tx (null before submission)' } as JsonSchema,
      status: { type: 'string', enum: ['pending', 'submitted', 'confirmed', 'failed'] },
      createdAt: { type: 'integer', description: 'ms' },
      confirmedAt: { type: 'integer', description: 'ms, or null' },
      anchorRef: { type: 'string', description: 'txHash#index of the anchor output the root was taken against' },
      deposits: { type: 'array', items: { type: 'string', description: 'txHash#index' } },
    },
    required: ['number', 'root', 'firstSeq', 'lastSeq', 'logHead', 'status'],
  },
}

/** `GET /state`. */
export const STATE: JsonSchema = {
  type: 'object',
  properties: { seq: { type: 'integer' }, logHead: HEX_32, root: HEX_32, accounts: { type: 'integer' } },
  required: ['seq', 'logHead', 'root', 'accounts'],
}

/** `GET /health`. */
export const HEALTH: JsonSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok'] },
    seq: { type: 'integer' },
    logHead: HEX_32,
    queueDepth: { type: 'integer' },
    paused: { type: 'boolean' },
    halted: {
      type: 'object',
      description: 'Present only while commitments are halted: a credited deposit is gone from layer 1 (docs/operating.md, "Halted commitments")',
      properties: { reason: { type: 'string', enum: ['DEPOSIT_GONE'] }, batch: { type: 'integer' }, outRefs: { type: 'array', items: { type: 'string' } } },
      required: ['reason', 'batch', 'outRefs'],
    },
  },
  required: ['status', 'seq', 'logHead', 'queueDepth', 'paused'],
}

/** `GET /accounts/:id/proof`. */
export const PROOF: JsonSchema = {
  type: 'object',
  properties: {
    batch: { type: 'integer' },
    root: HEX_32,
    leaf: {
      type: 'object',
      properties: { account: HEX_ACCOUNT, balance: LOVELACE, pendingExit: LOVELACE, nonce: { type: 'string' }, recordsRoot: HEX_32 },
      required: ['account', 'balance', 'pendingExit', 'nonce', 'recordsRoot'],
    },
    index: { type: 'integer' },
    mask: { type: 'integer' },
    siblings: HEX,
    proof: { ...HEX, description: 'canonical CBOR [index, mask, siblings], hex: what a Withdraw redeemer carries' } as JsonSchema,
  },
  required: ['batch', 'root', 'leaf', 'index', 'mask', 'siblings', 'proof'],
}

/** `POST /admin/pause` and `/admin/resume`. */
export const PAUSED_RESULT: JsonSchema = { type: 'object', properties: { paused: { type: 'boolean' } }, required: ['paused'] }

/** `POST /admin/batch`. */
export const FORCED_RESULT: JsonSchema = { type: 'object', properties: { forced: { type: 'boolean' } }, required: ['forced'] }
