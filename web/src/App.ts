import type { Setup } from './setup/loadSetup.js'
import type { BatchStore } from './stream/BatchStore.js'
import type { LogTail } from './stream/LogTail.js'
import type { NodeStream } from './stream/NodeStream.js'

/** What the page's views share: the setup, the live stream, the log tail and the batches. */
export interface App {
  readonly setup: Setup
  readonly stream: NodeStream
  readonly tail: LogTail
  readonly batches: BatchStore
}
