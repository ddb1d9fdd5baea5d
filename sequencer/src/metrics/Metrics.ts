/** Upper bounds (seconds) of the histogram buckets: 0.5 ms to 2.5 s, then +Inf. */
export const HISTOGRAM_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const

/** One histogram series: record durations with `observe`; read quantiles from its buckets. */
export class Histogram {
  /** counts[i] = observations ≤ HISTOGRAM_BUCKETS[i] and above the bucket before; the last is +Inf. */
  readonly counts = new Float64Array(HISTOGRAM_BUCKETS.length + 1)
  sum = 0
  count = 0
  max = 0

  /**
   * Records one duration in seconds.
   *
   * @example
   * h.observe((performance.now() - t0) / 1000)
   */
  observe(seconds: number): void {
    let i = 0
    while (i < HISTOGRAM_BUCKETS.length && seconds > HISTOGRAM_BUCKETS[i]!) i++
    this.counts[i]!++
    this.sum += seconds
    this.count++
    if (seconds > this.max) this.max = seconds
  }

  /**
   * The upper bound of the bucket holding quantile `q` (0..1): a bound, not an exact value; `max` past the last bound.
   *
   * @example
   * h.quantile(0.99) // e.g. 0.025: 99 % took at most 25 ms
   */
  quantile(q: number): number {
    return bucketQuantile(this.counts, q, this.max)
  }
}

/**
 * The upper bound of the bucket holding quantile `q` of per-bucket `counts` (as `Histogram.counts`,
 * or the difference of two copies of them); `beyond` for the +Inf bucket, NaN when empty.
 *
 * @example
 * bucketQuantile(after.map((c, i) => c - before[i]), 0.99, Infinity)
 */
export function bucketQuantile(counts: ArrayLike<number>, q: number, beyond = Infinity): number {
  let total = 0
  for (let i = 0; i < counts.length; i++) total += counts[i]!
  if (total === 0) return NaN
  let seen = 0
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!
    if (seen >= q * total) return i < HISTOGRAM_BUCKETS.length ? HISTOGRAM_BUCKETS[i]! : beyond
  }
  return beyond
}

/**
 * The node's counters, gauges and histograms, rendered in the Prometheus text format by `GET /metrics`.
 *
 * @example
 * metrics.inc('lagoon_tasks_applied_total', { kind: 'tx' })
 * metrics.render() // '# TYPE lagoon_tasks_applied_total counter\n…'
 */
export class Metrics {
  private readonly counters = new Map<string, Map<string, number>>()
  private readonly gauges = new Map<string, () => number>()
  private readonly help = new Map<string, string>()
  private readonly histograms = new Map<string, Map<string, Histogram>>()

  /**
   * Declares a metric's help text (optional; shown as `# HELP`).
   *
   * @example
   * metrics.describe('lagoon_rejections_total', 'Tasks refused, by code')
   */
  describe(name: string, text: string): void {
    this.help.set(name, text)
  }

  /**
   * Adds `by` to a counter with the given labels.
   *
   * @example
   * metrics.inc('lagoon_rejections_total', { code: 'BAD_NONCE' })
   */
  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    let series = this.counters.get(name)
    if (!series) this.counters.set(name, (series = new Map()))
    const key = labelKey(labels)
    series.set(key, (series.get(key) ?? 0) + by)
  }

  /**
   * The histogram series with these labels (created on first use): keep it and call `observe`.
   *
   * @example
   * const sync = metrics.histogram('lagoon_submit_stage_seconds', { stage: 'sync' }); sync.observe(0.004)
   */
  histogram(name: string, labels: Record<string, string> = {}): Histogram {
    let series = this.histograms.get(name)
    if (!series) this.histograms.set(name, (series = new Map()))
    const key = labelKey(labels)
    let h = series.get(key)
    if (!h) series.set(key, (h = new Histogram()))
    return h
  }

  /**
   * A gauge read when metrics are rendered.
   *
   * @example
   * metrics.gauge('lagoon_queue_depth', () => sequencer.queueDepth)
   */
  gauge(name: string, read: () => number): void {
    this.gauges.set(name, read)
  }

  /**
   * The current value of a counter series (for tests and logs).
   *
   * @example
   * metrics.get('lagoon_tasks_applied_total', 'kind="tx"')
   */
  get(name: string, labels = ''): number {
    return this.counters.get(name)?.get(labels) ?? 0
  }

  /**
   * Everything, in the Prometheus text exposition format.
   *
   * @example
   * new Response(metrics.render(), { headers: { 'content-type': 'text/plain; version=0.0.4' } })
   */
  render(): string {
    const out: string[] = []
    for (const [name, series] of this.counters) {
      const h = this.help.get(name)
      if (h) out.push(`# HELP ${name} ${h}`)
      out.push(`# TYPE ${name} counter`)
      for (const [labels, v] of series) out.push(`${name}${labels ? `{${labels}}` : ''} ${v}`)
    }
    for (const [name, series] of this.histograms) {
      const h = this.help.get(name)
      if (h) out.push(`# HELP ${name} ${h}`)
      out.push(`# TYPE ${name} histogram`)
      for (const [labels, hist] of series) {
        const sep = labels ? `${labels},` : ''
        let cumulative = 0
        hist.counts.forEach((c, i) => {
          cumulative += c
          out.push(`${name}_bucket{${sep}le="${i < HISTOGRAM_BUCKETS.length ? HISTOGRAM_BUCKETS[i] : '+Inf'}"} ${cumulative}`)
        })
        out.push(`${name}_sum${labels ? `{${labels}}` : ''} ${hist.sum}`, `${name}_count${labels ? `{${labels}}` : ''} ${hist.count}`)
      }
    }
    for (const [name, read] of this.gauges) {
      const h = this.help.get(name)
      if (h) out.push(`# HELP ${name} ${h}`)
      out.push(`# TYPE ${name} gauge`, `${name} ${read()}`)
    }
    return out.join('\n') + '\n'
  }
}

function labelKey(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
    .join(',')
}
