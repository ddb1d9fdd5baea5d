/** Where a command writes: results on stdout (human text, or one JSON document with `--json`), progress on stderr. */
export interface Output {
  /** True when `--json` was given: `result` prints JSON and `progress`/`info` stay quiet on stdout. */
  readonly json: boolean
  /** Prints the command's result: `human()` text by default, `data` as JSON with `--json`. */
  result(data: unknown, human: () => string): void
  /** A raw line on stdout (a server's JSON log lines). */
  line(text: string): void
  /** A line of information for humans (stderr, so stdout stays parseable). */
  info(line: string): void
  /** Progress of long work on stderr: a bar on a terminal, a line every few seconds otherwise. */
  progress(label: string, done: number, total?: number, extra?: string): void
  /** Ends a progress line. */
  progressDone(): void
}

/** Options for {@link createOutput}; the streams are injectable for tests. */
export interface OutputOptions {
  readonly json: boolean
  readonly stdout?: NodeJS.WritableStream & { isTTY?: boolean }
  readonly stderr?: NodeJS.WritableStream & { isTTY?: boolean }
  /** Clock for throttling non-terminal progress lines (ms). */
  readonly now?: () => number
}

/** JSON with bigints as decimal strings and bytes as hex. */
export function toJson(data: unknown): string {
  return JSON.stringify(
    data,
    (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v),
    2,
  )
}

/**
 * The standard output of every `lagoon` command.
 *
 * @example
 * const out = createOutput({ json: false })
 * out.progress('tasks', 500, 1000)
 * out.result({ ok: true }, () => 'all good')
 */
export function createOutput(opts: OutputOptions): Output {
  const stdout = opts.stdout ?? process.stdout
  const stderr = opts.stderr ?? process.stderr
  const now = opts.now ?? Date.now
  const tty = Boolean(stderr.isTTY)
  let lastLine = 0
  let open = false
  return {
    json: opts.json,
    result(data, human) {
      stdout.write(opts.json ? `${toJson(data)}\n` : `${human()}\n`)
    },
    line(text) {
      stdout.write(`${text}\n`)
    },
    info(line) {
      if (open && tty) stderr.write('\n')
      open = false
      stderr.write(`${line}\n`)
    },
    progress(label, done, total, extra) {
      const pct = total ? Math.min(100, Math.floor((done / total) * 100)) : undefined
      const count = total ? `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}` : done.toLocaleString('en-US')
      const tail = extra ? ` ${extra}` : ''
      if (tty) {
        const width = 30
        const bar = pct === undefined ? '' : `[${'#'.repeat(Math.floor((pct / 100) * width)).padEnd(width, '.')}] ${String(pct).padStart(3)}% `
        stderr.write(`\r${label} ${bar}${count}${tail}\x1b[K`)
        open = true
        return
      }
      // Not a terminal (CI, a log file): one line at most every 2 s.
      if (now() - lastLine < 2000 && !(total !== undefined && done >= total)) return
      lastLine = now()
      stderr.write(`${label} ${pct === undefined ? '' : `${pct}% `}${count}${tail}\n`)
    },
    progressDone() {
      if (open && tty) stderr.write('\n')
      open = false
    },
  }
}
