import { fromHex } from '../core.js'
import { NodeError } from '../errors/NodeError.js'
import type { AppDeps } from './AppDeps.js'
import { instanceInfo } from './instanceInfo.js'
import type { RouteDef } from './RouteDef.js'
import { HEX_ACCOUNT, INSTANCE, WITHDRAWALS } from './schemas.js'
import { withdrawalsOf } from './withdrawalsOf.js'

/**
 * The routes about the instance on layer 1: `GET /instance` (its settings, for the SDK and the CLI)
 * and `GET /accounts/:id/withdrawals` (an account's withdrawal requests and whether they are paid).
 *
 * @example
 * const routes = layer1Routes(deps)
 */
export function layer1Routes(deps: AppDeps): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/instance',
      tag: 'instance',
      summary: 'The instance on layer 1: instance id, seed, network, anchor and deposit addresses, state token, operator key, exodus timeout, confirmations k, terms hash',
      responses: { 200: { description: 'The instance', schema: INSTANCE } },
      errors: ['NO_L1'],
      handler: async (c) => {
        if (!deps.params) throw new NodeError('NO_L1', 'this node has no layer 1 configured')
        return c.json(await instanceInfo(deps.l1, deps.params))
      },
    },
    {
      method: 'get',
      path: '/accounts/:id/withdrawals',
      tag: 'accounts',
      summary:
        "An account's withdrawal requests, oldest first: amount, requestedSeq and status requested (pending exit, not yet in a confirmed batch) → committed (in confirmed `batch`) → paid (`paidTx` on layer 1)",
      params: { id: HEX_ACCOUNT },
      responses: { 200: { description: 'The requests (an empty array when there are none)', schema: WITHDRAWALS } },
      errors: ['NOT_FOUND'],
      handler: (c, { params }) => {
        const id = fromHex(params.id!)
        if (!deps.sequencer.state.getAccount(id)) throw new NodeError('NOT_FOUND', `no account ${params.id}`)
        if (!deps.db) return c.json([])
        return c.json(withdrawalsOf(deps.db, id))
      },
    },
  ]
}
