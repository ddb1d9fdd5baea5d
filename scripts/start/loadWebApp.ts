import type { Hono } from 'hono'

/** What the web build module (H4b's `web/build.ts`) offers. */
interface WebBuildModule {
  isWebStale(dist?: string): boolean
  buildWeb(options?: { dist?: string; minify?: boolean }): Promise<unknown>
}

/** What `web/src/server/createWebApp.ts` offers. */
interface WebAppModule {
  createWebApp(options?: { distDir?: string }): Hono
}

// Non-literal specifiers: the page is optional, and its absence must not break the typecheck or start.
const WEB_BUILD = '../../web/build.js'
const WEB_APP = '../../web/src/server/createWebApp.js'

/**
 * The web page as a Hono app (`createWebApp`), built first when stale (`buildWeb`). Returns null,
 * with the reason, when the web part is missing or its build fails: `npm start` then runs without
 * the page and says so.
 *
 * @example
 * const { app, reason } = await loadWebApp({ build: true, log: console.log })
 */
export async function loadWebApp(opts: { build: boolean; log: (line: string) => void }): Promise<{ app: Hono | null; reason?: string }> {
  let web: WebAppModule
  try {
    web = (await import(WEB_APP)) as WebAppModule
  } catch (e) {
    return { app: null, reason: `the web page's server module is missing (${(e as Error).message.split('\n')[0]})` }
  }
  if (opts.build) {
    try {
      const build = (await import(WEB_BUILD)) as WebBuildModule
      if (build.isWebStale()) {
        opts.log('building the web page (web/dist) …')
        const t = Date.now()
        await build.buildWeb()
        opts.log(`web page built in ${((Date.now() - t) / 1000).toFixed(1)} s`)
      }
    } catch (e) {
      return { app: null, reason: `the web page could not be built (${(e as Error).message.split('\n')[0]})` }
    }
  }
  return { app: web.createWebApp() }
}
