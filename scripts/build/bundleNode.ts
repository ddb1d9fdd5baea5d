/**
 * Builds a Node entry point of the workspace (by default the `lagoon` command line, `cli/src/main.ts`)
 * into plain JavaScript: `npm run build`, and `npm install` runs it (the `prepare` script).
 *
 * Why: a node started through tsx carries tsx's loader (a hooks thread with its own V8 isolate and the
 * TypeScript transform) for its whole life, and the workers it starts with `--import tsx` load it
 * again. Measured on the same 1,300-account file at rest: `lagoon sequencer start` 317 MB RSS through
 * tsx, 219 MB from this bundle (docs/benchmarks.md). The workspace's own packages (`@lagoon/*`) and the
 * JSON they import (the blueprint) are bundled; npm dependencies stay external, loaded from
 * `node_modules` as before. Code splitting keeps each command's dynamic `import()` a chunk of its own,
 * so `lagoon --help` still loads nothing heavy.
 *
 * Beside the chunks goes `build-inputs.json`: every source file the build read, relative to the
 * repository. `cli/bin/lagoon.js` runs the bundle only while no input is newer than that file, and
 * falls back to the TypeScript sources through tsx otherwise, so an edited source is never shadowed by
 * a stale bundle.
 *
 *   npx tsx scripts/build/bundleNode.ts [ENTRY OUTDIR]     (default: cli/src/main.ts cli/dist)
 */
import { build } from 'esbuild'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The file beside a bundle that lists its inputs (read by `cli/bin/lagoon.js`). */
export const INPUTS_FILE = 'build-inputs.json'

/** What {@link bundleNode} wrote. */
export interface NodeBundle {
  /** The folder written. */
  readonly outdir: string
  /** The entry's output file. */
  readonly main: string
  /** Source files read, relative to the repository. */
  readonly inputs: readonly string[]
  readonly elapsedMs: number
}

/**
 * Bundles `entry` (ESM, Node 20, split chunks) into `outdir`. A process already running from
 * `outdir` keeps working: chunks are named by their content and never removed (a new build adds the
 * ones it lacks), and `main.js`, then `build-inputs.json`, are each replaced in one rename.
 *
 * @example
 * const { main } = await bundleNode(join(REPO, 'sequencer/bench/http.ts'), join(REPO, 'sequencer/bench/dist'))
 */
export async function bundleNode(entry: string = join(REPO, 'cli/src/main.ts'), outdir: string = join(REPO, 'cli/dist')): Promise<NodeBundle> {
  const started = Date.now()
  // Built beside, then moved into place: a `lagoon` started meanwhile runs the old bundle or the new
  // one, never half of one, and one started before keeps finding the chunks it imports later.
  const tmp = `${outdir}.tmp-${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  const result = await build({
    entryPoints: { main: entry },
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
    plugins: [
      {
        name: 'external-dependencies',
        setup(b) {
          // Bare specifiers are npm packages (external) unless they name a workspace package.
          b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@lagoon/') ? undefined : { path: args.path, external: true }))
        },
      },
    ],
  })
  const inputs = Object.keys(result.metafile.inputs).map((f) => relative(REPO, resolve(f)))
  writeFileSync(join(tmp, INPUTS_FILE), JSON.stringify(inputs))
  mkdirSync(join(outdir, 'chunks'), { recursive: true })
  for (const chunk of existsSync(join(tmp, 'chunks')) ? readdirSync(join(tmp, 'chunks')) : []) {
    if (!existsSync(join(outdir, 'chunks', chunk))) renameSync(join(tmp, 'chunks', chunk), join(outdir, 'chunks', chunk))
  }
  renameSync(join(tmp, 'main.js'), join(outdir, 'main.js'))
  renameSync(join(tmp, INPUTS_FILE), join(outdir, INPUTS_FILE)) // last: the stamp cli/bin/lagoon.js compares with
  rmSync(tmp, { recursive: true, force: true })
  return { outdir, main: join(outdir, 'main.js'), inputs, elapsedMs: Date.now() - started }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const [entry, outdir] = process.argv.slice(2)
  const out = await bundleNode(entry ? resolve(entry) : undefined, outdir ? resolve(outdir) : undefined)
  console.log(`${relative(process.cwd(), out.main)}: ${out.inputs.length} source files bundled in ${out.elapsedMs} ms`)
}
