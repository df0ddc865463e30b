/**
 * HTML that is escaped by construction: the {@link html} tag escapes every interpolated value
 * unless it is itself {@link SafeHtml} (built by `html` or {@link trustedHtml}).
 */

/** A fragment of markup that is already safe to put into a page. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for an HTML text node or a quoted attribute value.
 *
 * @example
 * escapeHtml('<b>"Tom & Jerry"</b>'); // → '&lt;b&gt;&quot;Tom &amp; Jerry&quot;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] as string);
}

/**
 * Markup from trusted text (our own constants: a stylesheet, the inlined charting library). Never
 * pass data through this.
 */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** An interpolated value: text (escaped), safe markup (kept), lists (concatenated), or nothing. */
export type HtmlValue = SafeHtml | string | number | bigint | boolean | null | undefined | readonly HtmlValue[];

function renderValue(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(renderValue).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template for markup: every `${value}` is escaped unless it is {@link SafeHtml}; arrays are
 * joined; `null`, `undefined` and `false` render as nothing. Attribute values must be quoted.
 *
 * @example
 * const name = '<script>';
 * html`<td title="${name}">${name}</td>`.value; // → '<td title="&lt;script&gt;">&lt;script&gt;</td>'
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += renderValue(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>`, `&` and the JavaScript line
 * separators are written as `\u` escapes, so no value can end the element or start markup.
 *
 * @example
 * jsonForScript({ vendor: '</script><script>alert(1)</script>' }); // → '{"vendor":"\u003c/script\u003e…"}'
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JavaScript source for an inline `<script>` element. A `</script` inside it (in a string or a
 * regular expression) would end the element, so it is written `<\/script`, which means the same to
 * the JavaScript parser; `<!--` has no such rewrite that is valid everywhere, so it is refused.
 */
export function scriptSource(source: string): SafeHtml {
  if (source.includes('<!--')) throw new Error('cannot inline a script that contains "<!--"');
  return new SafeHtml(source.replace(/<\/(script)/gi, '<\\/$1'));
}
