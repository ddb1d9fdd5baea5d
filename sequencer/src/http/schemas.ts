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
