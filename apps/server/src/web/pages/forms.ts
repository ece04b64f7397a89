import { html, Html } from '../../signing/html';
import type { FieldError } from '../../http/problem-details.filter';
import { sentenceCase } from './format';

export type FormValue = string | string[];
export type FormValues = Record<string, FormValue>;

/** What was posted under one name, as a list. */
export function valuesOf(values: FormValues, name: string): string[] {
  const value = Object.hasOwn(values, name) ? values[name] : [];
  return Array.isArray(value) ? value : [value];
}

/** A form that was refused: shown again with what was typed and each message beside its field. */
export interface FormFailure {
  form: string;
  values: FormValues;
  detail: string;
  errors: FieldError[];
  /** What the summary opens with: "Not saved." unless the form saves nothing; empty when the detail says it all. */
  lead?: string;
}

/** One form on a page, its fields named by the API's paths: each refusal shows beside its input or in the summary. */
export class FormView {
  private readonly claimed = new Set<string>();

  private constructor(
    readonly id: string,
    private readonly values: FormValues,
    private readonly errors: FieldError[],
    readonly detail?: string,
    private readonly lead = 'Not saved.',
  ) {}

  /** The failed form when it is this one, otherwise a fresh form with its defaults. */
  static of(id: string, failure: FormFailure | undefined, defaults: FormValues = {}): FormView {
    return failure?.form === id
      ? new FormView(id, failure.values, failure.errors, failure.detail, failure.lead)
      : new FormView(id, defaults, []);
  }

  get failed(): boolean {
    return this.detail !== undefined;
  }

  value(name: string): string {
    return this.list(name)[0] ?? '';
  }

  list(name: string): string[] {
    return valuesOf(this.values, name);
  }

  /** How many rows to show of a repeating group ("lines"): those with values and `spare` empty ones, at least `min`. */
  rowCount(prefix: string, min: number, spare: number): number {
    let count = 0;
    for (const key of Object.keys(this.values)) {
      const match = /^(.+?)\[(\d+)\]\./.exec(key);
      if (match && match[1] === prefix) count = Math.max(count, Number(match[2]) + 1);
    }
    return Math.max(min, count + spare);
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
    const allOnFields = unclaimed.length === 0 && this.errors.length > 0;
    const fields = this.errors.length === 1 ? 'field' : 'fields';
    const list = [...new Set(unclaimed.map((e) => e.message))].map((m) => html`<li>${m}</li>`);
    const lead = this.lead ? html`<strong>${this.lead}</strong> ` : '';
    return html`<div class="form-problem" role="alert">${lead}${
      allOnFields ? `Check the highlighted ${fields}.` : this.detail
    }${unclaimed.length > 0 && this.errors.length > 1 ? html`<ul>${list}</ul>` : ''}</div>`;
  }
}

/** "lines[0].hours must be…" reads "Hours must be…" beside the field itself. */
function besideField(field: string, message: string): string {
  if (!message.startsWith(`${field} `)) return message;
  const parts = field.split(/[.[\]]+/).filter(Boolean);
  return sentenceCase(parts.at(-1) ?? field) + message.slice(field.length);
}

interface FieldOptions {
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

interface Choice {
  value: string;
  label: string;
}

/** For amounts and hours typed into a table cell. */
export const DECIMAL_CELL = 'inputmode="decimal" class="num"';

function errorText(form: FormView, name: string): Html {
  const message = form.errorFor(name);
  return message ? html`<p class="field-error" id="${form.inputId(name)}-error">${message}</p>` : html``;
}

/** A control in a table cell has no label of its own, so it carries its label for screen readers. */
function controlAttributes(form: FormView, name: string, options: FieldOptions, inCell: boolean): Html {
  const { required, placeholder, autocomplete, list, attrs } = options;
  return html`${inCell ? html` aria-label="${options.label}"` : ''} id="${form.inputId(name)}" name="${name}"${
    required ? html` required` : ''
  }${placeholder ? html` placeholder="${placeholder}"` : ''}${
    autocomplete ? html` autocomplete="${autocomplete}"` : ''
  }${list ? html` list="${list}"` : ''}${
    form.hasError(name) ? html` aria-invalid="true" aria-describedby="${form.inputId(name)}-error"` : ''
  }${attrs ? new Html(` ${attrs}`) : ''}`;
}

function input(form: FormView, name: string, options: FieldOptions, inCell = false): Html {
  const attributes = controlAttributes(form, name, options, inCell);
  return html`<input type="${options.type ?? 'text'}" value="${form.value(name)}"${attributes}>`;
}

function select(form: FormView, name: string, choices: Choice[], options: FieldOptions, inCell = false): Html {
  const selected = form.value(name);
  return html`<select${controlAttributes(form, name, options, inCell)}>${choices.map(
    (c) => html`<option value="${c.value}"${c.value === selected ? html` selected` : ''}>${c.label}</option>`,
  )}</select>`;
}

/** A labelled control with its hint and error underneath. */
function field(form: FormView, name: string, options: FieldOptions, control: Html): Html {
  const error = errorText(form, name);
  return html`<div class="field${options.wrap ? ` ${options.wrap}` : ''}${error.value ? ' has-error' : ''}">
    <label for="${form.inputId(name)}">${options.label}</label>
    ${control}${options.hint ? html`<p class="hint">${options.hint}</p>` : ''}${error}</div>`;
}

export function inputField(form: FormView, name: string, options: FieldOptions): Html {
  return field(form, name, options, input(form, name, options));
}

export function textareaField(form: FormView, name: string, options: FieldOptions & { rows?: number }): Html {
  const attributes = controlAttributes(form, name, options, false);
  const textarea = html`<textarea rows="${options.rows ?? 3}"${attributes}>${form.value(name)}</textarea>`;
  return field(form, name, options, textarea);
}

export function selectField(form: FormView, name: string, choices: Choice[], options: FieldOptions): Html {
  return field(form, name, options, select(form, name, choices, options));
}

export function checkboxField(form: FormView, name: string, options: { label: string; hint?: string }): Html {
  const error = errorText(form, name);
  return html`<div class="field checkbox-field${error.value ? ' has-error' : ''}">
    <label><input type="checkbox" name="${name}" value="true" id="${form.inputId(name)}"${
      form.value(name) === 'true' ? html` checked` : ''
    }> ${options.label}</label>${options.hint ? html`<p class="hint">${options.hint}</p>` : ''}${error}</div>`;
}

function cell(form: FormView, name: string, control: Html): Html {
  const error = errorText(form, name);
  return html`<td${error.value ? html` class="has-error"` : ''}>${control}${error}</td>`;
}

export function cellInput(form: FormView, name: string, options: FieldOptions): Html {
  return cell(form, name, input(form, name, options, true));
}

export function cellSelect(form: FormView, name: string, choices: Choice[], options: FieldOptions): Html {
  return cell(form, name, select(form, name, choices, options, true));
}

/** A column of a repeating group; its `example` is the placeholder of the first row only. */
export type Column = Omit<FieldOptions, 'placeholder'> & { field: string; example?: string; choices?: Choice[] };

/** The cells of row `i` of a group, named like "items[0].ref" and labelled like "Item 1 ref". */
export function rowCells(form: FormView, group: string, i: number, noun: string, columns: Column[]): Html[] {
  return columns.map(({ field, example, choices, ...options }) => {
    const name = `${group}[${i}].${field}`;
    const labelled = { ...options, label: `${noun} ${i + 1} ${options.label}`, placeholder: i === 0 ? example : '' };
    return choices ? cellSelect(form, name, choices, labelled) : cellInput(form, name, labelled);
  });
}

/** An error about a whole row ("lines[2]"), shown under it. */
export function rowError(form: FormView, name: string, columns: number): Html {
  const message = form.errorFor(name);
  return message
    ? html`<tr class="row-error"><td colspan="${columns}"><p class="field-error">${message}</p></td></tr>`
    : html``;
}

/** Rows of a repeating group ("items[0].ref", …) under `head`, and the button the script shows to add one. */
export function formRows(group: string, head: Html, rows: Html[], add?: string, className = 'form-rows'): Html {
  return html`<table class="${className}" data-rows="${group}">
  <thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>${
    add ? html`<button type="button" class="quiet add-row" data-add-row="${group}" hidden>${add}</button>` : ''
  }`;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A form that posts with the CSRF token; a refusal's summary leads it, so pass the fields already rendered. */
export function postForm(
  viewer: { csrfToken: string },
  action: string,
  form: FormView | undefined,
  content: Html,
  attributes = 'class="stack" novalidate',
): Html {
  return html`<form method="post" action="${action}" ${new Html(attributes)}>${csrfField(viewer.csrfToken)}${
    form ? form.summary() : ''
  }${content}</form>`;
}

/** Suggestions for a time-zone field (`list="time-zones"`): every IANA name this server knows. */
export function timeZoneChoices(): Html {
  return html`<datalist id="time-zones">${Intl.supportedValuesOf('timeZone').map(
    (zone) => html`<option value="${zone}"></option>`,
  )}</datalist>`;
}
