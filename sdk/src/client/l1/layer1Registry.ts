import { ClientError } from '../errors.js'

/** The layer-1 module (`./layer1.ts`, `@lagoon/sdk/layer1`) as the client's methods use it. */
export type Layer1Module = typeof import('../layer1.js')

let registered: Layer1Module | undefined

/**
 * Called by the layer-1 module when it loads, so that `createLagoonClient`'s layer-1 methods find it
 * in bundles that include it.
 *
 * @example
 * registerLayer1(layer1Module)
 */
export function registerLayer1(m: Layer1Module): void {
  registered = m
}

// Opaque to bundlers on purpose: a browser bundle of the main entry must not pull in Lucid. In Node
// (and in bundles that import `@lagoon/sdk/layer1` themselves) the module is found either way.
const LAYER1_MODULE = './../layer1.js'

/**
 * The layer-1 module: the registered one, else loaded on demand (Node). `ClientError('MISSING_CONFIG')`
 * in a bundle that does not include it.
 *
 * @example
 * const { deposit } = await loadLayer1()
 */
export async function loadLayer1(): Promise<Layer1Module> {
  if (registered) return registered
  try {
    registered = (await import(/* @vite-ignore */ LAYER1_MODULE)) as Layer1Module
  } catch (e) {
    throw new ClientError('MISSING_CONFIG', 'the layer-1 actions are not in this bundle: import something from "@lagoon/sdk/layer1" (e.g. connectLucid) so that they are', { cause: e })
  }
  return registered
}
