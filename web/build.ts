/**
 * Builds the web wallet and explorer into `web/dist/` (git-ignored): `index.html`, `assets/app.js`
 * (ESM, esbuild) with its chunks, `assets/app.css`, and the WebAssembly of CML, message-signing and
 * UPLC (Lucid's local script evaluation) beside the script. `npm run build:web`; `npm start` and the
 * end-to-end test call {@link buildWeb} when {@link isWebStale} says so.
 *
 * The page bundles the SDK and Lucid Evolution for the browser with the WebAssembly loader of
 * `sdk/browser/build.ts` (`wasmBindgenPlugin`), plus one shim: Lucid reaches `pbkdf2` →
 * `readable-stream`, which `require`s Node's `events` at load time; {@link eventsShimPlugin} gives it a
 * minimal `EventEmitter` (the streams are never used in the page). Unlike the SDK bundle it does not
 * refuse every Node built-in name: Lucid's dependencies import `buffer` and `util`, which resolve to
 * their npm browser packages; a built-in with no such package still fails the build (esbuild cannot
 * resolve it for the browser platform).
 */
import { build, type Plugin } from 'esbuild'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { browserBuildOptions, wasmBindgenPlugin } from '../sdk/browser/build.js'

const here = dirname(fileURLToPath(import.meta.url))
/** The `web/` folder. */
export const WEB_DIR = here
/** Where the built page goes: served by `createWebApp`. */
export const WEB_DIST = join(here, 'dist')

const EVENTS_SHIM = `
export class EventEmitter {
  constructor() { this._l = new Map() }
  on(n, f) { (this._l.get(n) ?? this._l.set(n, []).get(n)).push(f); return this }
  addListener(n, f) { return this.on(n, f) }
  prependListener(n, f) { (this._l.get(n) ?? this._l.set(n, []).get(n)).unshift(f); return this }
  once(n, f) { const g = (...a) => { this.removeListener(n, g); f(...a) }; return this.on(n, g) }
  removeListener(n, f) { const l = this._l.get(n); if (l) { const i = l.indexOf(f); if (i >= 0) l.splice(i, 1) } return this }
  off(n, f) { return this.removeListener(n, f) }
  removeAllListeners(n) { if (n === undefined) this._l.clear(); else this._l.delete(n); return this }
  emit(n, ...a) { const l = this._l.get(n); if (!l || l.length === 0) return false; for (const f of [...l]) f.apply(this, a); return true }
  listeners(n) { return [...(this._l.get(n) ?? [])] }
  listenerCount(n) { return this._l.get(n)?.length ?? 0 }
  setMaxListeners() { return this }
}
EventEmitter.EventEmitter = EventEmitter
export default EventEmitter
`

/**
 * Resolves Node's `events` (reached by Lucid's `pbkdf2` → `readable-stream`) to a small EventEmitter.
 *
 * @example
 * await build({ entryPoints, bundle: true, platform: 'browser', plugins: [eventsShimPlugin, wasmBindgenPlugin] })
 */
export const eventsShimPlugin: Plugin = {
  name: 'events-shim',
  setup(b) {
    b.onResolve({ filter: /^events$/ }, () => ({ path: 'events', namespace: 'events-shim' }))
    b.onLoad({ filter: /.*/, namespace: 'events-shim' }, () => ({ contents: EVENTS_SHIM, loader: 'js' }))
  },
}

/** Where a build lists its inputs (every file esbuild read, relative to the repository), for {@link isWebStale}. */
const INPUTS_FILE = 'build-inputs.json'
const REPO = join(here, '..')

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return Infinity // an input that is gone: rebuild
  }
}

/**
 * Whether `web/dist` is missing, or older than any file its last build read (the page's sources, the
 * SDK, the blueprint `onchain/plutus.json`, the dependencies) or than `web/src/index.html`,
 * `web/src/app.css` and this file.
 *
 * @example
 * if (isWebStale()) await buildWeb()
 */
export function isWebStale(dist: string = WEB_DIST): boolean {
  const stamp = join(dist, 'index.html')
  const list = join(dist, INPUTS_FILE)
  if (!existsSync(stamp) || !existsSync(list) || !existsSync(join(dist, 'assets', 'app.js'))) return true
  const built = statSync(stamp).mtimeMs
  let inputs: string[]
  try {
    inputs = JSON.parse(readFileSync(list, 'utf8')) as string[]
  } catch {
    return true
  }
  const own = [fileURLToPath(import.meta.url), join(here, 'src', 'index.html'), join(here, 'src', 'app.css')]
  return [...own, ...inputs.map((f) => join(REPO, f))].some((f) => mtime(f) > built)
}

/** What {@link buildWeb} wrote. */
export interface WebBuild {
  /** The folder written (`web/dist` by default). */
  readonly dir: string
  /** Every file written (but source maps), relative to `dir`, with its size in bytes. */
  readonly files: Record<string, number>
  readonly elapsedMs: number
}

/**
 * Builds the page into a clean `dist` (default `web/dist`). Takes ~2 s.
 *
 * @example
 * const { dir } = await buildWeb()
 * serve({ fetch: createWebApp({ distDir: dir }).fetch })
 */
export async function buildWeb(options: { dist?: string; minify?: boolean } = {}): Promise<WebBuild> {
  const started = Date.now()
  const dist = options.dist ?? WEB_DIST
  const assets = join(dist, 'assets')
  rmSync(dist, { recursive: true, force: true })
  mkdirSync(assets, { recursive: true })
  const result = await build({
    entryPoints: { app: join(here, 'src', 'main.ts') },
    outdir: assets,
    splitting: true,
    chunkNames: '[name]-[hash]',
    ...browserBuildOptions(options.minify ?? true),
    // Some of Lucid's CommonJS dependencies read these Node globals.
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    plugins: [eventsShimPlugin, wasmBindgenPlugin],
  })
  copyFileSync(join(here, 'src', 'app.css'), join(assets, 'app.css'))
  const inputs = Object.keys(result.metafile.inputs)
    .filter((f) => !f.includes(':')) // plugin namespaces (the events shim) are not files
    .map((f) => relative(REPO, join(process.cwd(), f)))
  writeFileSync(join(dist, INPUTS_FILE), JSON.stringify(inputs))
  // index.html last: it is the stamp `isWebStale` compares with.
  copyFileSync(join(here, 'src', 'index.html'), join(dist, 'index.html'))
  const files: Record<string, number> = {}
  for (const out of [...Object.keys(result.metafile.outputs).map((o) => join(process.cwd(), o)), join(assets, 'app.css'), join(dist, 'index.html')]) {
    if (!out.endsWith('.map')) files[relative(dist, out)] = statSync(out).size
  }
  return { dir: dist, files, elapsedMs: Date.now() - started }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { dir, files, elapsedMs } = await buildWeb()
  for (const [file, bytes] of Object.entries(files)) {
    const gz = gzipSync(readFileSync(join(dir, file))).length
    console.log(`web/dist/${file}  ${(bytes / 1024).toFixed(1)} KiB (gzip ${(gz / 1024).toFixed(1)} KiB)`)
  }
  console.log(`built in ${elapsedMs} ms`)
}
