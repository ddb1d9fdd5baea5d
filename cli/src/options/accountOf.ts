import type { InstanceInfo } from '@lagoon/sdk'
import { CliError } from '../CliError.js'
import type { CommandContext } from '../Command.js'
import { opt } from './commonOptions.js'
import { loadWallet } from './session.js'

/**
 * The account a command acts for: `--account HEX` (LAGOON_ACCOUNT), else the wallet's
 * (`--wallet FILE`).
 *
 * @example
 * const account = accountOf(ctx, info.network)
 */
export function accountOf(ctx: Pick<CommandContext, 'values' | 'env'>, network: InstanceInfo['network']): string {
  const given = opt(ctx, 'account', 'LAGOON_ACCOUNT')
  if (given) {
    if (!/^[0-9a-fA-F]{56}$/.test(given)) throw new CliError('USAGE', `--account "${given}" is not an account id`, 'an account is 56 hex characters (a payment key hash)')
    return given.toLowerCase()
  }
  return loadWallet(ctx, network).account
}

