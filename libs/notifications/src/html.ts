const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ENTITIES[char]);
}

/** Markup that is already safe: interpolating it into `html` does not escape it again. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const markup = (value: unknown) => (value instanceof Html ? value.value : escapeHtml(value));

/** Tagged template that escapes every interpolated value (or array of values) unless it is already Html. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((value, i) => {
    out += (Array.isArray(value) ? value.map(markup).join('') : markup(value)) + strings[i + 1];
  });
  return new Html(out);
}
