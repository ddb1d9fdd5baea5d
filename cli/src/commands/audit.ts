import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'

/** `lagoon audit` (being written). */
export const auditCommand: Command = {
  name: 'audit',
  summary: '(not yet available)',
  usage: 'usage: lagoon audit (not yet available)',
  options: {},
  async run() {
    throw new CliError('NOT_AVAILABLE', 'lagoon audit is not available yet')
  },
}
