import { existsSync, readFileSync, statSync } from 'node:fs'
import { extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Hono } from 'hono'

const DEFAULT_DIST = fileURLToPath(new URL('../../dist', import.meta.url))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
}

/** Hashed file names (`chunk-x-ABCD1234.js`, `uplc_tx_bg-ABCD1234.wasm`) never change content. */
const HASHED = /-[A-Z0-9]{8}\.(js|wasm)$/

/** Options of {@link createWebApp}. */
export interface WebAppOptions {
  /** The built page (`buildWeb()`'s output); default `web/dist`. */
  readonly distDir?: string
}

/**
 * The web wallet and explorer as a Hono app: `GET /` is the page, `GET /assets/*` its script, styles,
 * chunks and WebAssembly. Mount it beside the node's API (`app.route('/', createWebApp())`): the page
 * talks to the API on its own origin. Without a build it answers 503 with how to make one.
 *
 * @example
 * if (isWebStale()) await buildWeb()
 * const web = createWebApp()
 * serve({ fetch: (req) => web.fetch(req) })
 */
export function createWebApp(options: WebAppOptions = {}): Hono {
  const dist = resolve(options.distDir ?? DEFAULT_DIST)
  const assets = join(dist, 'assets')
  const app = new Hono()

  const missing = () =>
    new Response(`the web page is not built: run \`npm run build:web\` (expected ${join(dist, 'index.html')})\n`, {
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })

  app.get('/', () => {
    const index = join(dist, 'index.html')
    if (!existsSync(index)) return missing()
    return new Response(readFileSync(index), { headers: { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache' } })
  })

  app.get('/assets/*', (c) => {
    const name = decodeURIComponent(c.req.path.slice('/assets/'.length))
    const file = resolve(assets, name)
    // Only files inside dist/assets: no `..`, no absolute paths.
    if (!file.startsWith(assets + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return c.json({ code: 'NOT_FOUND', message: `no asset ${name}` }, 404)
    }
    const cache = HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache'
    return new Response(readFileSync(file), { headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache } })
  })

  app.get('/favicon.ico', () => new Response(null, { status: 204 }))
  return app
}
