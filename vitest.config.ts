import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['sdk/**/*.test.ts', 'onchain/**/*.test.ts', 'scripts/**/*.test.ts', 'sequencer/**/*.test.ts', 'relay/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
