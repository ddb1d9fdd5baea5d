import { CliError } from '../CliError.js'
import type { Command } from '../Command.js'

/** `lagoon refund` (being written). */
export const refundCommand: Command = {
  name: 'refund',
  summary: '(not yet available)',
  usage: 'usage: lagoon refund (not yet available)',
  options: {},
  async run() {
    throw new CliError('NOT_AVAILABLE', 'lagoon refund is not available yet')
  },
}
