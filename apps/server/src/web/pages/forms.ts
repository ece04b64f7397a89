import { html, Html } from '../../signing/html';
import type { FieldError } from '../../http/problem-details.filter';

export type FormValue = string | string[];
export type FormValues = Record<string, FormValue>;

/** A form that was refused: shown again with what was typed and each message beside its field. */
export interface FormFailure {
  form: string;
  values: FormValues;
  detail: string;
  errors: FieldError[];
}

/**
 * One form on a page. Field names are the API's field paths ("lines[0].hours"), so a
 * refusal's `errors[].field` lands next to the input that caused it. Errors no rendered
 * field claims are listed in the form's summary.
 */
export class FormView {
  private readonly claimed = new Set<string>();

  private constructor(
    readonly id: string,
    private readonly values: FormValues,
    private readonly errors: FieldError[],
    readonly detail?: string,
  ) {}

  /** The failed form when it is this one, otherwise a fresh form with its defaults. */
  static of(id: string, failure: FormFailure | undefined, defaults: FormValues = {}): FormView {
    return failure?.form === id
      ? new FormView(id, failure.values, failure.errors, failure.detail)
      : new FormView(id, defaults, []);
  }

  get failed(): boolean {
    return this.detail !== undefined;
  }

  value(name: string): string {
    const v = this.typed(name);
    return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  }

  list(name: string): string[] {
    const v = this.typed(name);
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  }

  private typed(name: string): FormValue | undefined {
    return Object.hasOwn(this.values, name) ? this.values[name] : undefined;
  }

  /** Rows a repeating group ("lines") holds values for. */
  rowCount(prefix: string): number {
    let count = 0;
    for (const key of Object.keys(this.values)) {
      const match = /^(.+?)\[(\d+)\]\./.exec(key);
      if (match && match[1] === prefix) count = Math.max(count, Number(match[2]) + 1);
    }
    return count;
  }

  inputId(name: string): string {
    return `${this.id}-${name.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;
  }

  hasError(name: string): boolean {
    return this.errors.some((e) => e.field === name);
  }

  /** The messages about one field, worded for a person looking at that field. */
  errorFor(name: string): string | undefined {
    const messages = this.errors.filter((e) => e.field === name).map((e) => besideField(e.field, e.message));
    if (messages.length === 0) return undefined;
    this.claimed.add(name);
    return [...new Set(messages)].join('; ');
  }

  /** Call after rendering the fields: the form-level message and any error no field showed. */
  summary(): Html {
    if (!this.failed) return html``;
    const unclaimed = this.errors.filter((e) => !this.claimed.has(e.field));
    const onFields = this.errors.length - unclaimed.length;
    const lead =
      onFields > 0 && unclaimed.length === 0
        ? this.errors.length === 1
          ? 'Check the highlighted field.'
          : 'Check the highlighted fields.'
        : this.detail;
    return html`<div class="form-problem" role="alert"><strong>Not saved.</strong> ${lead}${
      unclaimed.length > 0 && this.errors.length > 1
        ? html`<ul>${[...new Set(unclaimed.map((e) => e.message))].map((m) => html`<li>${m}</li>`)}</ul>`
        : ''
    }</div>`;
  }
}

/**
 * The API words its messages for a reader of the whole request ("lines[0].hours must be…").
 * Next to the field itself the path is noise: "Hours must be…".
 */
function besideField(field: string, message: string): string {
  if (!message.startsWith(`${field} `)) return message;
  const last =
    field
      .split(/[.[\]]+/)
      .filter(Boolean)
      .pop() ?? field;
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words[0].toUpperCase() + words.slice(1) + message.slice(field.length);
}

export interface FieldOptions {
  label: string;
  type?: string;
  hint?: string;
  required?: boolean;
  placeholder?: string;
  autocomplete?: string;
  /** Extra attributes, already safe (numbers, fixed words). */
  attrs?: string;
  list?: string;
  /** Class for the field's wrapper (layout: "span-2"). */
  wrap?: string;
}

function errorText(form: FormView, name: string): Html {
  const message = form.errorFor(name);
  return message ? html`<p class="field-error" id="${form.inputId(name)}-error">${message}</p>` : html``;
}

function controlAttributes(form: FormView, name: string, options: Partial<FieldOptions>): Html {
  const invalid = form.hasError(name);
  return html` id="${form.inputId(name)}" name="${name}"${options.required ? html` required` : ''}${
    options.placeholder ? html` placeholder="${options.placeholder}"` : ''
  }${
    options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''
  }${options.list ? html` list="${options.list}"` : ''}${
    invalid ? html` aria-invalid="true" aria-describedby="${form.inputId(name)}-error"` : ''
  }${options.attrs ? new Html(` ${options.attrs}`) : ''}`;
}

/** A labelled input with its error underneath. */
export function inputField(form: FormView, name: string, options: FieldOptions): Html {
  const attributes = controlAttributes(form, name, options);
  const error = errorText(form, name);
  return html`<div class="field${options.wrap ? ` ${options.wrap}` : ''}${error.value ? ' has-error' : ''}">
    <label for="${form.inputId(name)}">${options.label}</label>
    <input type="${options.type ?? 'text'}" value="${form.value(name)}"${attributes}>${
      options.hint ? html`<p class="hint">${options.hint}</p>` : ''
    }${error}</div>`;
}

export function textareaField(form: FormView, name: string, options: FieldOptions & { rows?: number }): Html {
  const attributes = controlAttributes(form, name, options);
  const error = errorText(form, name);
  return html`<div class="field${options.wrap ? ` ${options.wrap}` : ''}${error.value ? ' has-error' : ''}">
    <label for="${form.inputId(name)}">${options.label}</label>
    <textarea rows="${options.rows ?? 3}"${attributes}>${form.value(name)}</textarea>${
      options.hint ? html`<p class="hint">${options.hint}</p>` : ''
    }${error}</div>`;
}

export interface Choice {
  value: string;
  label: string;
}

export function selectField(form: FormView, name: string, choices: Choice[], options: FieldOptions): Html {
  const attributes = controlAttributes(form, name, options);
  const error = errorText(form, name);
  return html`<div class="field${options.wrap ? ` ${options.wrap}` : ''}${error.value ? ' has-error' : ''}">
    <label for="${form.inputId(name)}">${options.label}</label>
    <select${attributes}>${optionList(choices, form.value(name))}</select>${error}
  </div>`;
}

function optionList(choices: Choice[], selected: string): Html[] {
  return choices.map(
    (c) => html`<option value="${c.value}"${c.value === selected ? html` selected` : ''}>${c.label}</option>`,
  );
}

export function checkboxField(form: FormView, name: string, options: { label: string; hint?: string }): Html {
  const error = errorText(form, name);
  return html`<div class="field checkbox-field${error.value ? ' has-error' : ''}">
    <label><input type="checkbox" name="${name}" value="true" id="${form.inputId(name)}"${
      form.value(name) === 'true' ? html` checked` : ''
    }> ${options.label}</label>${options.hint ? html`<p class="hint">${options.hint}</p>` : ''}${error}</div>`;
}

/** An input inside a table row: labelled for screen readers, error underneath. */
export function cellInput(form: FormView, name: string, options: FieldOptions): Html {
  const attributes = controlAttributes(form, name, options);
  const error = errorText(form, name);
  return html`<td${error.value ? html` class="has-error"` : ''}>
    <input type="${options.type ?? 'text'}" value="${form.value(name)}" aria-label="${options.label}"${attributes}>
    ${error}
  </td>`;
}

export function cellSelect(form: FormView, name: string, choices: Choice[], options: FieldOptions): Html {
  const attributes = controlAttributes(form, name, options);
  const error = errorText(form, name);
  return html`<td${error.value ? html` class="has-error"` : ''}>
    <select aria-label="${options.label}"${attributes}>${optionList(choices, form.value(name))}</select>${error}
  </td>`;
}

/** An error about a whole row ("lines[2]"), shown under it. */
export function rowError(form: FormView, name: string, columns: number): Html {
  const message = form.errorFor(name);
  return message
    ? html`<tr class="row-error"><td colspan="${columns}"><p class="field-error">${message}</p></td></tr>`
    : html``;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
