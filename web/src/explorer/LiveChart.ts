/** One point of the chart: a time, the throughput and the queue depth. */
export interface ChartPoint {
  readonly time: number
  readonly tps: number
  readonly queueDepth: number
}

/**
 * A hand-drawn canvas chart of the node's throughput (tx/s, left axis) and queue depth (right axis)
 * over the last `windowMs`, redrawn on every point; sharp on high-DPI screens.
 *
 * @example
 * const chart = new LiveChart(canvas)
 * stream.on('stats', (s) => chart.push(s))
 */
export class LiveChart {
  private readonly points: ChartPoint[] = []

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly windowMs = 120_000,
  ) {
    new ResizeObserver(() => this.draw()).observe(canvas)
  }

  /** The points in the window, oldest first. */
  get data(): readonly ChartPoint[] {
    return this.points
  }

  push(p: ChartPoint): void {
    this.points.push(p)
    const cutoff = p.time - this.windowMs
    while (this.points.length > 0 && this.points[0]!.time < cutoff) this.points.shift()
    this.draw()
  }

  draw(): void {
    const c = this.canvas
    const dpr = window.devicePixelRatio || 1
    const w = c.clientWidth
    const h = c.clientHeight
    if (w === 0 || h === 0) return
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr)
      c.height = Math.round(h * dpr)
    }
    const g = c.getContext('2d')!
    g.setTransform(dpr, 0, 0, dpr, 0, 0)
    g.clearRect(0, 0, w, h)
    const pad = { l: 48, r: 48, t: 10, b: 22 }
    const pw = w - pad.l - pad.r
    const ph = h - pad.t - pad.b
    const now = this.points.length ? this.points[this.points.length - 1]!.time : Date.now()
    const t0 = now - this.windowMs
    const maxTps = niceMax(Math.max(1, ...this.points.map((p) => p.tps)))
    const maxQ = niceMax(Math.max(1, ...this.points.map((p) => p.queueDepth)))
    const x = (t: number) => pad.l + ((t - t0) / this.windowMs) * pw
    const yL = (v: number) => pad.t + ph - (v / maxTps) * ph
    const yR = (v: number) => pad.t + ph - (v / maxQ) * ph

    g.font = '11px system-ui, sans-serif'
    g.strokeStyle = '#e3eef1'
    g.fillStyle = '#5b7a82'
    g.lineWidth = 1
    for (let i = 0; i <= 4; i++) {
      const y = pad.t + (ph * i) / 4
      g.beginPath()
      g.moveTo(pad.l, y)
      g.lineTo(pad.l + pw, y)
      g.stroke()
      g.textAlign = 'right'
      g.fillText(fmt((maxTps * (4 - i)) / 4), pad.l - 6, y + 4)
      g.textAlign = 'left'
      g.fillText(fmt((maxQ * (4 - i)) / 4), pad.l + pw + 6, y + 4)
    }
    g.textAlign = 'center'
    for (let s = 0; s <= this.windowMs / 1000; s += 30) g.fillText(s === 0 ? 'now' : `-${s}s`, x(now - s * 1000), h - 6)

    const line = (color: string, y: (p: ChartPoint) => number, fill: boolean) => {
      if (this.points.length === 0) return
      g.beginPath()
      this.points.forEach((p, i) => (i === 0 ? g.moveTo(x(p.time), y(p)) : g.lineTo(x(p.time), y(p))))
      g.strokeStyle = color
      g.lineWidth = 2
      g.stroke()
      if (fill) {
        g.lineTo(x(this.points[this.points.length - 1]!.time), pad.t + ph)
        g.lineTo(x(this.points[0]!.time), pad.t + ph)
        g.closePath()
        g.fillStyle = color + '22'
        g.fill()
      }
    }
    line('#0b7a8a', (p) => yL(p.tps), true)
    line('#d9822b', (p) => yR(p.queueDepth), false)
  }
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p
  return 10 * p
}

function fmt(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : String(Math.round(v * 100) / 100)
}
