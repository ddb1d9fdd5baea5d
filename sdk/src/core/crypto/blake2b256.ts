import { blake2b } from '@noble/hashes/blake2'

/**
 * Hashes `length` bytes of `src` from `srcOffset` and writes the 32-byte BLAKE2b-256 digest into `dst`
 * at `dstOffset`. Lets the Merkle tree hash a node straight out of (and into) its level buffers.
 *
 * @example
 * const into = hashIntoOf(blake2b256Reference)
 * const out = new Uint8Array(32)
 * into(new Uint8Array(64), 0, 64, out, 0) // out = H(0^64)
 */
export type HashInto = (src: Uint8Array, srcOffset: number, length: number, dst: Uint8Array, dstOffset: number) => void

/**
 * BLAKE2b with a 32-byte output (`H` in the protocol spec). An implementation may carry a
 * `hashInto` that does the same without allocating; consumers reach it through {@link hashIntoOf}.
 *
 * @example
 * const hash: Blake2b256 = await loadBlake2b256()
 * hash(new TextEncoder().encode('abc')) // bddd813c…d319 (32 bytes)
 */
export type Blake2b256 = ((data: Uint8Array) => Uint8Array) & { readonly hashInto?: HashInto }

/**
 * The synchronous pure-JavaScript BLAKE2b-256 (@noble/hashes): slow (~0.1–0.25M hashes/s of 64 bytes)
 * but needs no initialisation. The oracle the fast one is tested against.
 *
 * @example
 * blake2b256Reference(new Uint8Array()) // 0e5751c0…e3a8
 */
export const blake2b256Reference: Blake2b256 = (data: Uint8Array): Uint8Array => blake2b(data, { dkLen: 32 })

/**
 * The `HashInto` of `hash`: its own if it has one, else one that hashes a subarray and copies.
 *
 * @example
 * const into = hashIntoOf(await loadBlake2b256())
 */
export function hashIntoOf(hash: Blake2b256): HashInto {
  if (hash.hashInto !== undefined) return hash.hashInto
  return (src, srcOffset, length, dst, dstOffset) => {
    dst.set(hash(src.subarray(srcOffset, srcOffset + length)), dstOffset)
  }
}

/** The part of the emscripten module of libsodium that the fast path calls directly. */
interface SodiumModule {
  HEAPU8: Uint8Array
  _malloc(size: number): number
  // The 64-bit input length is passed as two 32-bit halves (emscripten's i64 legalisation).
  _crypto_generichash(out: number, outLen: number, inPtr: number, inLenLow: number, inLenHigh: number, key: number, keyLen: number): number
}

interface SodiumWrappers {
  ready: Promise<void>
  crypto_generichash(hashLength: number, message: Uint8Array): Uint8Array
  libsodium?: Partial<SodiumModule>
}

const SCRATCH_BYTES = 1024
const ABC_DIGEST = 'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319'

/** Which WebAssembly BLAKE2b {@link loadBlake2b256} loads; the default is the fastest measured here. */
export type Blake2b256Implementation = 'libsodium' | 'libsodium-wrapper' | 'hash-wasm'

/**
 * Loads the fast BLAKE2b-256 for the hot path. The default, `'libsodium'`, is libsodium's (WebAssembly)
 * `crypto_generichash` called on a scratch buffer inside the WebAssembly heap, so that short inputs cost
 * no allocation there; on 64-byte inputs it measured ~1.3× the plain libsodium-wrappers call, ~1.7×
 * hash-wasm and ~10× @noble/hashes (`scripts/bench/merkle.ts`). The others are there to compare.
 * Works in Node and browsers. Checks itself against a known digest before returning.
 *
 * @example
 * const hash = await loadBlake2b256()
 * hash(new Uint8Array(64)) // 32 bytes
 */
export async function loadBlake2b256(implementation: Blake2b256Implementation = 'libsodium'): Promise<Blake2b256> {
  let hash: Blake2b256
  if (implementation === 'hash-wasm') {
    const { createBLAKE2b } = await import('hash-wasm')
    const hasher = await createBLAKE2b(256)
    hash = (data: Uint8Array): Uint8Array => {
      hasher.init()
      hasher.update(data)
      return hasher.digest('binary')
    }
  } else {
    const imported = (await import('libsodium-wrappers')) as unknown as { default?: SodiumWrappers } & SodiumWrappers
    const sodium: SodiumWrappers = imported.default ?? imported
    await sodium.ready
    const wrapper = (data: Uint8Array): Uint8Array => sodium.crypto_generichash(32, data)
    hash = (implementation === 'libsodium' ? directSodium(sodium) : undefined) ?? wrapper
  }
  if (toHex(hash(new TextEncoder().encode('abc'))) !== ABC_DIGEST) {
    throw new Error(`${implementation} does not produce BLAKE2b-256`)
  }
  return hash
}

// libsodium-wrappers exposes its emscripten module as `libsodium`; its wrapper mallocs, copies and frees
// on every call, which costs ~30% at 64 bytes. If the module is not there (a future version), the caller
// falls back to the wrapper.
function directSodium(sodium: SodiumWrappers): Blake2b256 | undefined {
  const m = sodium.libsodium
  if (m === undefined || typeof m._malloc !== 'function' || typeof m._crypto_generichash !== 'function' || !(m.HEAPU8 instanceof Uint8Array)) {
    return undefined
  }
  const mod = m as SodiumModule
  const inPtr = mod._malloc(SCRATCH_BYTES + 32)
  if (inPtr === 0) return undefined
  const outPtr = inPtr + SCRATCH_BYTES
  const slow = (data: Uint8Array): Uint8Array => sodium.crypto_generichash(32, data)

  const hashInto: HashInto = (src, srcOffset, length, dst, dstOffset) => {
    if (length > SCRATCH_BYTES) {
      dst.set(slow(src.subarray(srcOffset, srcOffset + length)), dstOffset)
      return
    }
    // HEAPU8 is replaced when the WebAssembly memory grows, so it is read on every call.
    const heap = mod.HEAPU8
    heap.set(src.subarray(srcOffset, srcOffset + length), inPtr)
    mod._crypto_generichash(outPtr, 32, inPtr, length, 0, 0, 0)
    dst.set(heap.subarray(outPtr, outPtr + 32), dstOffset)
  }
  const hash = (data: Uint8Array): Uint8Array => {
    if (data.length > SCRATCH_BYTES) return slow(data)
    const heap = mod.HEAPU8
    heap.set(data, inPtr)
    mod._crypto_generichash(outPtr, 32, inPtr, data.length, 0, 0, 0)
    return heap.slice(outPtr, outPtr + 32)
  }
  return Object.assign(hash, { hashInto })
}

function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}
