import { describe, expect, it } from 'vitest'
import { bucketQuantile, Histogram, HISTOGRAM_BUCKETS, Metrics } from '../src/metrics/Metrics.js'

describe('histograms', () => {
  it('bucket observations, give quantiles as bucket bounds, and render cumulative Prometheus buckets', () => {
    const m = new Metrics()
    const h = m.histogram('x_seconds', { stage: 'a' })
    expect(m.histogram('x_seconds', { stage: 'a' })).toBe(h)
    for (let i = 0; i < 98; i++) h.observe(0.0007) // ≤ 1 ms
    h.observe(0.03) // ≤ 50 ms
    h.observe(7) // beyond 2.5 s
    expect(h.count).toBe(100)
    expect(h.max).toBe(7)
    expect(h.quantile(0.5)).toBe(0.001)
    expect(h.quantile(0.99)).toBe(0.05)
    expect(h.quantile(1)).toBe(7)
    expect(bucketQuantile(new Float64Array(HISTOGRAM_BUCKETS.length + 1), 0.5)).toBeNaN()
    const text = m.render()
    expect(text).toContain('# TYPE x_seconds histogram')
    expect(text).toContain('x_seconds_bucket{stage="a",le="0.0005"} 0')
    expect(text).toContain('x_seconds_bucket{stage="a",le="0.001"} 98')
    expect(text).toContain('x_seconds_bucket{stage="a",le="0.05"} 99')
    expect(text).toContain('x_seconds_bucket{stage="a",le="2.5"} 99')
    expect(text).toContain('x_seconds_bucket{stage="a",le="+Inf"} 100')
    expect(text).toContain('x_seconds_count{stage="a"} 100')
    expect(new Histogram().quantile(0.5)).toBeNaN()
  })
})
