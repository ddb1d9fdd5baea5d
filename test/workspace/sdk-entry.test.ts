import { describe, expect, it } from 'vitest'

describe('the SDK is importable on its own', () => {
  it('resolves @lagoon/sdk, @lagoon/sdk/core and @lagoon/sdk/node by package name', async () => {
    const sdk = await import('@lagoon/sdk')
    const core = await import('@lagoon/sdk/core')
    const node = await import('@lagoon/sdk/node')
    expect(typeof sdk.apply).toBe('function')
    expect(typeof sdk.LagoonError).toBe('function')
    expect(core.TREE_DEPTH).toBe(32)
    const hash = await sdk.loadBlake2b256()
    expect(sdk.toHex(hash(new TextEncoder().encode('abc')))).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319')
    expect(typeof node.createNodeEd25519Verify()).toBe('function')
  })
})
