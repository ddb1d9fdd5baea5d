/**
 * The CIP-30 wallets the browser offers (`window.cardano.*` with `enable`).
 *
 * @example
 * cip30Wallets() // [{ id: 'eternl', name: 'Eternl' }]
 */
export function cip30Wallets(): { id: string; name: string }[] {
  const cardano = (globalThis as { cardano?: Record<string, { enable?: unknown; name?: string }> }).cardano
  if (!cardano || typeof cardano !== 'object') return []
  return Object.entries(cardano)
    .filter(([, w]) => w && typeof w.enable === 'function')
    .map(([id, w]) => ({ id, name: typeof w.name === 'string' ? w.name : id }))
}

