/**
 * Builds the browser bundle of the SDK: `sdk/dist/lagoon.browser.js` (ESM, esbuild) and the two
 * WebAssembly files that CIP-8 needs beside it. `npm run build:browser`.
 *
 * - `@lucid-evolution/sign_data` names the browser builds of CML and message-signing in its `browser`
 *   field; esbuild (platform `browser`) follows it. Those are wasm-bindgen "bundler" builds
 *   (`import * as wasm from './x_bg.wasm'`), which esbuild cannot link: {@link wasmBindgenPlugin}
 *   replaces their entry with one that fetches the `.wasm` (copied next to the bundle) and
 *   instantiates it with top-level await.
 * - With code splitting, what the SDK imports dynamically (libsodium and hash-wasm, behind
 *   `loadBlake2b256`) is a chunk beside the bundle, fetched on first use.
 * - Node built-ins have no place in the bundle: the build fails on any, except `crypto`, which
 *   libsodium only `require`s when `globalThis.crypto` is missing (never in a browser).
 */
import { build, type Plugin } from 'esbuild'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
export const SDK_DIR = join(here, '..')
export const BUNDLE_PATH = join(SDK_DIR, 'dist', 'lagoon.browser.js')

// uplc_tx (Lucid's local script evaluation) is only reached by bundles that include Lucid (web/build.ts).
const WASM_BINDGEN_ENTRY = /[\\/](cardano_multiplatform_lib|cardano_message_signing|uplc_tx)\.js$/

/**
 * Loads the wasm-bindgen bundler-target entries through `fetch` + `WebAssembly.instantiate`.
 *
 * @example
 * await build({ entryPoints, bundle: true, format: 'esm', loader: { '.wasm': 'file' }, plugins: [wasmBindgenPlugin] })
 */
export const wasmBindgenPlugin: Plugin = {
  name: 'wasm-bindgen-bundler',
  setup(b) {
    b.onLoad({ filter: WASM_BINDGEN_ENTRY }, (args) => {
      const name = args.path.match(WASM_BINDGEN_ENTRY)![1]!
      const contents = `
import * as bg from './${name}_bg.js'
import wasmFile from './${name}_bg.wasm'
const response = await fetch(new URL(wasmFile, import.meta.url))
if (!response.ok) throw new Error('lagoon: cannot load ${name}_bg.wasm (HTTP ' + response.status + '): serve it next to lagoon.browser.js')
const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), { './${name}_bg.js': bg })
bg.__wbg_set_wasm(instance.exports)
if (typeof instance.exports.__wbindgen_start === 'function') instance.exports.__wbindgen_start()
export * from './${name}_bg.js'
`
      return { contents, loader: 'js', resolveDir: dirname(args.path) }
    })
  },
}

const OUR_FILES = /^(lagoon[.-].*\.js(\.map)?|cardano_(multiplatform_lib|message_signing)_bg-.*\.wasm)$/

const ALLOWED_NODE_BUILTINS = new Set(['crypto'])

/** Fails on Node built-ins; `crypto` (an unreachable fallback in libsodium) becomes an empty module. */
const noNodeBuiltinsPlugin: Plugin = {
  name: 'no-node-builtins',
  setup(b) {
    const builtins = /^(node:)?(assert|buffer|child_process|crypto|fs|fs\/promises|http|https|net|os|path|perf_hooks|stream|url|util|worker_threads|zlib)$/
    b.onResolve({ filter: builtins }, (args) => {
      const bare = args.path.replace(/^node:/, '')
      if (ALLOWED_NODE_BUILTINS.has(bare) && !args.path.startsWith('node:')) return { path: bare, namespace: 'empty-builtin' }
      return { errors: [{ text: `the browser bundle must not import the Node built-in "${args.path}" (from ${relative(SDK_DIR, args.importer)})` }] }
    })
    b.onLoad({ filter: /.*/, namespace: 'empty-builtin' }, () => ({ contents: 'export default {}', loader: 'js' }))
  },
}

/**
 * The esbuild settings every browser build of this repository shares (the SDK bundle, the web page):
 * ESM for current browsers, linked source maps, WebAssembly as hashed files, a metafile for the report.
 *
 * @example
 * await build({ entryPoints: ['src/main.ts'], outdir: 'dist', ...browserBuildOptions(true) })
 */
export function browserBuildOptions(minify: boolean) {
  return {
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'] as string[],
    minify,
    sourcemap: 'linked',
    legalComments: 'eof',
    loader: { '.wasm': 'file' } as Record<string, 'file'>,
    assetNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
  } as const
}

/** Builds the bundle (into a clean `sdk/dist/`); returns its path and the size of every file in bytes. */
export async function buildBrowserBundle(options: { minify?: boolean } = {}): Promise<{ path: string; bytes: number; files: Record<string, number> }> {
  // Old chunks and assets of earlier builds (their names carry hashes); nothing else in sdk/dist.
  const dist = dirname(BUNDLE_PATH)
  if (existsSync(dist)) for (const f of readdirSync(dist)) if (OUR_FILES.test(f)) rmSync(join(dist, f))
  const result = await build({
    entryPoints: [join(SDK_DIR, 'src', 'browser.ts')],
    outdir: dirname(BUNDLE_PATH),
    entryNames: 'lagoon.browser',
    // `loadBlake2b256` imports libsodium (or hash-wasm) dynamically: they become chunks fetched on first use.
    splitting: true,
    chunkNames: 'lagoon-[name]-[hash]',
    ...browserBuildOptions(options.minify ?? true),
    plugins: [wasmBindgenPlugin, noNodeBuiltinsPlugin],
  })
  const files: Record<string, number> = {}
  for (const out of Object.keys(result.metafile.outputs)) {
    if (!out.endsWith('.map')) files[relative(SDK_DIR, out)] = statSync(out).size
  }
  return { path: BUNDLE_PATH, bytes: statSync(BUNDLE_PATH).size, files }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files } = await buildBrowserBundle()
  for (const [file, bytes] of Object.entries(files)) {
    const gz = gzipSync(readFileSync(join(SDK_DIR, file))).length
    console.log(`${file}  ${(bytes / 1024).toFixed(1)} KiB (gzip ${(gz / 1024).toFixed(1)} KiB)`)
  }
}
