/** The subset of JSON Schema the API's request schemas use (also emitted, as is, into OpenAPI). */
export type JsonSchema =
  | { type: 'object'; properties: Record<string, JsonSchema>; required?: string[]; additionalProperties?: false; description?: string }
  | { type: 'string'; pattern?: string; minLength?: number; maxLength?: number; enum?: string[]; description?: string; format?: string }
  | { type: 'integer'; minimum?: number; maximum?: number; description?: string }
  | { type: 'boolean'; description?: string }
  | { type: 'array'; items: JsonSchema; maxItems?: number; description?: string }

const patterns = new Map<string, RegExp>()

/**
 * Validates a value against a schema; returns the problems (empty when valid), each naming its path.
 *
 * @example
 * validate({ type: 'string', pattern: '^[0-9a-f]{56}$' }, 'xyz', 'account') // ['account: does not match ^[0-9a-f]{56}$']
 */
export function validate(schema: JsonSchema, value: unknown, path = '$'): string[] {
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: must be an object`]
      const v = value as Record<string, unknown>
      const out: string[] = []
      for (const r of schema.required ?? []) if (v[r] === undefined) out.push(`${path}.${r}: is required`)
      for (const [k, x] of Object.entries(v)) {
        const s = Object.hasOwn(schema.properties, k) ? schema.properties[k] : undefined // not `__proto__` / `constructor`
        if (!s) {
          if (schema.additionalProperties === false) out.push(`${path}.${k}: is not allowed`)
          continue
        }
        if (x !== undefined) out.push(...validate(s, x, `${path}.${k}`))
      }
      return out
    }
    case 'string': {
      if (typeof value !== 'string') return [`${path}: must be a string`]
      if (schema.minLength !== undefined && value.length < schema.minLength) return [`${path}: shorter than ${schema.minLength}`]
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return [`${path}: longer than ${schema.maxLength}`]
      if (schema.enum && !schema.enum.includes(value)) return [`${path}: must be one of ${schema.enum.join(', ')}`]
      if (schema.pattern) {
        let re = patterns.get(schema.pattern)
        if (!re) patterns.set(schema.pattern, (re = new RegExp(schema.pattern)))
        if (!re.test(value)) return [`${path}: does not match ${schema.pattern}`]
      }
      return []
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return [`${path}: must be an integer`]
      if (schema.minimum !== undefined && value < schema.minimum) return [`${path}: below ${schema.minimum}`]
      if (schema.maximum !== undefined && value > schema.maximum) return [`${path}: above ${schema.maximum}`]
      return []
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: must be a boolean`]
    case 'array': {
      if (!Array.isArray(value)) return [`${path}: must be an array`]
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return [`${path}: more than ${schema.maxItems} items`]
      return value.flatMap((x, i) => validate(schema.items, x, `${path}[${i}]`))
    }
  }
}
