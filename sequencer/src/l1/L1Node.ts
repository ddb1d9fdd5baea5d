import type Database from 'better-sqlite3'
import { createNodeEd25519Verify, type ApplyContext, type Blake2b256, type ProtocolParams } from '../core.js'
import type { Metrics } from '../metrics/Metrics.js'
import type { Sequencer } from '../queue/Sequencer.js'
import type { TaskLog } from '../storage/TaskLog.js'
import { Follower } from './Follower.js'
import type { L1Chain } from './L1Chain.js'
import { jsonLog, type L1Log, type L1Settings } from './L1Settings.js'
import { Poster } from './Poster.js'
import type { LagoonScripts } from './sdkL1.js'

/** The node's layer-1 side: the chain, the follower, the poster and the loop that drives them. */
export interface L1Node {
  readonly chain: L1Chain
  readonly scripts: LagoonScripts
  readonly follower: Follower
  readonly poster: Poster
  /** The settings in force (confirmations k, batch interval, …), e.g. for `GET /instance`. */
  readonly settings: L1Settings
  /** One round: the follower polls, then the poster steps (serialized with the loop). */
  tick(): Promise<void>
  /** Starts polling every `pollMs`. */
  start(): void
  /** Stops the loop and waits for the round in progress. */
  stop(): Promise<void>
}

/**
 * Wires the follower and the poster on a chain.
 *
 * @example
 * const l1 = openL1({ db, chain, scripts, sequencer, log, params, hash, settings, metrics })
 * l1.start()
 */
export function openL1(p: {
  db: Database.Database
  chain: L1Chain
  scripts: LagoonScripts
  sequencer: Sequencer
  log: TaskLog
  params: ProtocolParams
  hash: Blake2b256
  settings: L1Settings
  metrics: Metrics
  out?: L1Log
}): L1Node {
  const out = p.out ?? jsonLog
  const ctx: ApplyContext = { params: p.params, hash: p.hash, verifyEd25519: createNodeEd25519Verify() }
  const follower = new Follower(p.db, p.chain, p.scripts, p.sequencer, p.settings, p.metrics, out)
  const poster = new Poster(p.db, p.chain, p.scripts, p.sequencer, p.log, follower, ctx, p.settings, p.metrics, out)
  let running: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | null = null
  const round = async () => {
    try {
      await follower.poll()
      await poster.step()
    } catch (e) {
      p.metrics.inc('lagoon_l1_round_failures_total')
      out('error', 'layer-1 round failed; retrying at the next poll', { error: String((e as Error)?.stack ?? e).slice(0, 2000) })
    }
  }
  const tick = () => (running = running.then(round))
  return {
    chain: p.chain,
    scripts: p.scripts,
    follower,
    poster,
    settings: p.settings,
    tick,
    start() {
      if (timer) return
      timer = setInterval(() => void tick(), p.settings.pollMs)
    },
    async stop() {
      if (timer) clearInterval(timer)
      timer = null
      await running
    },
  }
}
