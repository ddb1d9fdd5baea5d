/** Children `h` accepts: nodes, text, or nothing. */
export type Child = Node | string | number | null | undefined | false

/**
 * Creates an element with attributes (`on*` functions become listeners) and children.
 *
 * @example
 * document.body.append(h('button', { class: 'primary', onclick: () => go() }, 'Register'))
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, unknown> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener)
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v)
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  el.append(...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)))
  return el
}

/**
 * Replaces an element's children.
 *
 * @example
 * fill(table.tBodies[0]!, rows.map(toRow))
 */
export function fill(el: Element, children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)))
}

/**
 * The element with this id, or an error naming it.
 *
 * @example
 * const status = byId('status')
 */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id)
  if (!el) throw new Error(`the page has no #${id}`)
  return el as T
}
