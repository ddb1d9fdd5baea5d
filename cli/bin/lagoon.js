#!/usr/bin/env node
// The workspace runs its TypeScript sources directly: register tsx's loader, then start the CLI.
import { register } from 'tsx/esm/api'

register()
await import('../src/main.ts')
