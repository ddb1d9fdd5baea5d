/**
 * The browser entry of `@lagoon/sdk`, bundled by `npm run build:browser` into
 * `sdk/dist/lagoon.browser.js` (ESM). It is the whole of the main entry: the protocol core
 * (transactions, signing, state transition, Merkle tree, task log, CIP-8 key authorizations),
 * the typed errors, the API client (`createLagoonClient`, `l2Signer`, `generateL2Signer`) and the
 * log auditor. What the browser build lacks: `@lagoon/sdk/node` (`createNodeEd25519Verify`,
 * the worker-thread batch verifier: they use `node:crypto` and `node:worker_threads`; the browser
 * verifies with `verifyEd25519Noble`) and the layer-1 builders (`sdk/src/l1`, Lucid Evolution).
 *
 * CIP-8 (`verifyKeyAuthorization`, `signKeyAuthorization`) runs on the WebAssembly builds of CML and
 * message-signing, which the bundle fetches (two `.wasm` files next to it) and instantiates before
 * the module finishes loading.
 *
 * @example
 * import { buildSignedTx, loadBlake2b256, generateL2Signer } from './lagoon.browser.js'
 */
export * from './index.js'
