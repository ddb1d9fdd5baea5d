/**
 * The node's counters and gauges, rendered in the Prometheus text format by `GET /metrics`.
 *
 * @example
 * metrics.inc('lagoon_tasks_applied_total', { kind: 'tx' })
 * metrics.render() // '# TYPE lagoon_tasks_applied_total counter\n…'
 */
export class Metrics {
  private readonly counters = new Map<string, Map<string, number>>()
  private readonly gauges = new Map<string, () => number>()
  private readonly help = new Map<string, string>()

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
    const key = Object.entries(labels)
      .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
      .join(',')
    series.set(key, (series.get(key) ?? 0) + by)
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
    for (const [name, read] of this.gauges) {
      const h = this.help.get(name)
      if (h) out.push(`# HELP ${name} ${h}`)
      out.push(`# TYPE ${name} gauge`, `${name} ${read()}`)
    }
    return out.join('\n') + '\n'
  }
}
