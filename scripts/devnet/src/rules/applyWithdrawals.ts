import type { CertState } from '../ledger/CertState.js'
import { credentialKey } from '../ledger/credentialKey.js'
import { DevnetRuleError } from '../DevnetRuleError.js'
import type { RuleContext } from './RuleContext.js'

/**
 * The withdrawals of a tx, against the cert state before its certificates (so a tx can drain an
 * account and deregister it), on `state` (mutated); returns the lovelace withdrawn:
 * - from a reward account on the devnet's network (`WRONG_NETWORK`) that is registered
 *   (`WITHDRAWAL_ACCOUNT_NOT_REGISTERED`), exactly its whole balance (`WITHDRAWAL_MISMATCH`; the
 *   ledger's `WithdrawalsNotInRewardsCERTS` covers both), which becomes 0;
 * - a key-hash account must delegate its vote to a DRep (`WITHDRAWAL_NOT_DELEGATED_TO_DREP`,
 *   Conway's `ConwayWdrlNotDelegatedToDRep` from protocol version 10); script accounts need not.
 * Their witnesses are checked with the others' (`checkWitnesses`).
 *
 * @example
 * const withdrawn = applyWithdrawals(ctx, state)
 */
export function applyWithdrawals(ctx: RuleContext, state: CertState): bigint {
  const withdrawals = ctx.body.withdrawals()
  if (!withdrawals) return 0n
  const accounts = withdrawals.keys()
  let total = 0n
  for (let i = 0; i < accounts.len(); i++) {
    const rewardAddress = accounts.get(i)
    const amount = withdrawals.get(rewardAddress) ?? 0n
    const credential = credentialKey(rewardAddress.payment())
    const at = { rewardAddress: rewardAddress.to_address().to_bech32(undefined), credential, amount: amount.toString() }
    if (rewardAddress.network_id() !== 0) {
      throw new DevnetRuleError('WRONG_NETWORK', `withdrawal from ${at.rewardAddress}: network id ${rewardAddress.network_id()}; the devnet is network id 0`, {
        details: { ...at, networkId: rewardAddress.network_id() },
      })
    }
    const account = state.accounts.get(credential)
    if (!account) throw new DevnetRuleError('WITHDRAWAL_ACCOUNT_NOT_REGISTERED', `withdrawal from ${at.rewardAddress}, which is not registered`, { details: at })
    if (amount !== account.rewards) {
      throw new DevnetRuleError('WITHDRAWAL_MISMATCH', `withdrawal of ${amount} from ${at.rewardAddress}; a withdrawal takes the whole balance, ${account.rewards}`, {
        details: { ...at, balance: account.rewards.toString() },
      })
    }
    if (credential.startsWith('key:') && account.drep === null) {
      throw new DevnetRuleError('WITHDRAWAL_NOT_DELEGATED_TO_DREP', `withdrawal from ${at.rewardAddress}: a key-hash reward account must delegate its vote to a DRep (or abstain) before it withdraws`, {
        details: at,
      })
    }
    account.rewards -= amount
    total += amount
  }
  return total
}
