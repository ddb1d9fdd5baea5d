/**
 * A byte string as a compact Map key (latin1: one char per byte), cheaper than hex on the hot path.
 *
 * @example
 * map.get(bytesKey(accountId))
 */
export function bytesKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1')
}
