import { html, Html } from '../../signing/html';
import type { FinanceController } from '../../finance/finance.controller';
import { amountInput, calendarDate, dateTime, money, plural, timeTag } from './format';
import { FormFailure, FormView, inputField, postForm, selectField } from './forms';
import { dataTable, numColumn, pageHead, shell, tile, Viewer } from './layout';

// The pages show the API's answers as they are; they define none of the figures again.
type ProjectReconciliation = Awaited<ReturnType<FinanceController['reconciliation']>>;
type ClientReconciliation = Awaited<ReturnType<FinanceController['clientReconciliation']>>;
type OrderRow = ProjectReconciliation['changeOrders'][number];
type InvoiceRow = OrderRow['invoices'][number];
type BaselineBilling = ProjectReconciliation['baselineBilling'];

/** The client's reconciliation page, its name as a path segment. */
export function clientReconciliationPath(client: string): string {
  return `/app/finance/clients/${encodeURIComponent(client)}`;
}

export function projectReconciliationPath(projectId: string): string {
  return `/app/finance/projects/${projectId}`;
}

/** A GET form that shows the page as it stood at a moment, like the project page's. */
function asOfForm(base: string, asOf: string | undefined, failure: FormFailure | undefined): Html {
  const form = FormView.of('as-of', failure, { asOf: asOf ? asOf.slice(0, 19) : '' });
  return html`<form class="as-of" method="get" action="${base}">
  ${inputField(form, 'asOf', { label: 'As of (UTC)', type: 'datetime-local', attrs: 'step="1"' })}
  <button type="submit">Show</button>
  ${asOf ? html`<a href="${base}">Back to now</a>` : ''}
</form>`;
}

function asOfNotice(asOf: string | undefined): Html | string {
  return asOf
    ? html`<div class="notice info" role="status"><strong>As of ${dateTime(asOf)}.</strong>
  The figures exactly as they stood then, folded from the events.</div>`
    : '';
}

/** The money figures of a project or a currency's total, as tiles. */
function figureTiles(
  label: string,
  t: ProjectReconciliation | ClientReconciliation['totals'][string],
  currency: string,
) {
  return html`<section class="tiles" aria-label="${label}">
  ${tile('Contract value', money(t.contractValue, currency), `baseline ${money(t.baseline, currency)}`)}
  ${tile('Baseline invoiced', money(t.baselineInvoiced, currency), `${money(t.baselineUninvoiced, currency)} not yet`)}
  ${tile('Signed changes', money(t.signedChanges, currency))}
  ${tile('Invoiced to date', money(t.invoiced, currency))}
  ${tile('Credited', money(t.credited, currency))}
  ${tile('Signed, not invoiced', money(t.signedUninvoiced, currency), undefined, t.signedUninvoiced > 0 && 'warn')}
  ${tile('Not yet credited', money(t.uncredited, currency), undefined, t.uncredited < 0 && 'warn')}
  ${
    t.recurringMonthlySigned !== 0
      ? tile('Recurring monthly signed', `${money(t.recurringMonthlySigned, currency)} a month`, 'apart from the above')
      : ''
  }
</section>`;
}

function settlementBadge(order: OrderRow): Html {
  const tone = order.settled ? 'ok' : 'warn';
  const label = order.settled
    ? { charge: 'fully invoiced', credit: 'fully credited', no_charge: 'no charge · settled' }[order.kind]
    : order.kind === 'credit'
      ? 'credit to issue'
      : 'to invoice';
  return html`<span class="badge tone-${tone}">${label}</span>`;
}

/** An invoice or credit note; a voided one is struck through with why. */
function invoiceItem(i: InvoiceRow, currency: string, voidForm: Html | string): Html {
  const label = i.kind === 'credit_note' ? 'Credit note' : 'Invoice';
  const figures = html`${label} <span class="mono">${i.invoiceNumber}</span> ${money(i.amount, currency)}
  <span class="muted">dated ${calendarDate(i.invoiceDate)}</span>`;
  if (i.voided)
    return html`<li class="voided"><s>${figures}</s>
  <span class="small">voided ${calendarDate(i.voided.voidedAt)}: ${i.voided.reason}</span></li>`;
  return html`<li>${figures}${voidForm}</li>`;
}

/** Where a page form voids a baseline invoice. */
function baselineVoidPath(projectId: string, invoiceNumber: string): string {
  return `${projectReconciliationPath(projectId)}/invoices/${encodeURIComponent(invoiceNumber)}/void`;
}

/**
 * The baseline contract's billing: invoiced per milestone and as a whole, what remains, the invoices with their
 * void forms, and (now, not as of a moment) the form that records the next one.
 */
function baselinePanel(viewer: Viewer, r: ProjectReconciliation, args: { asOf?: string; failure?: FormFailure }): Html {
  const b: BaselineBilling = r.baselineBilling;
  const m = (amount: number) => money(amount, r.currency);
  const rows = [
    ...b.milestones.map(
      (ms) => html`<tr><td><span class="mono">${ms.milestone}</span> ${ms.name}</td>
<td class="num">${m(ms.invoiced)}</td></tr>`,
    ),
    html`<tr><td>The baseline as a whole (no milestone named)</td><td class="num">${m(b.notByMilestone)}</td></tr>`,
  ];
  const voidForm = (i: BaselineBilling['invoices'][number]): Html | string => {
    if (args.asOf) return '';
    const form = FormView.of(`void-baseline-${i.invoiceNumber}`, args.failure);
    const fields = html`${inputField(form, 'reason', { label: 'Why void it?', required: true })}
<button type="submit" class="small">Void ${i.invoiceNumber}</button>`;
    return html`<details class="more"${form.failed ? html` open` : ''}><summary>Void…</summary>
${postForm(viewer, baselineVoidPath(r.projectId, i.invoiceNumber), form, fields)}</details>`;
  };
  const invoices = b.invoices.length
    ? html`<ul class="plain small">${b.invoices.map((i) =>
        invoiceItem(
          { ...i, invoiceNumber: i.milestone ? `${i.invoiceNumber} (${i.milestone})` : i.invoiceNumber },
          r.currency,
          voidForm(i),
        ),
      )}</ul>`
    : html`<p class="muted small">No invoice against the baseline${args.asOf ? ' at that moment' : ' yet'}.</p>`;
  const recordForm = (): Html | string => {
    if (args.asOf || b.uninvoiced <= 0) return '';
    const form = FormView.of('baseline-invoice', args.failure, { amount: amountInput(b.uninvoiced, r.currency) });
    const milestones = [
      { value: '', label: 'The baseline as a whole' },
      ...b.milestones.map((ms) => ({ value: ms.milestone, label: `${ms.milestone} ${ms.name}` })),
    ];
    const fields = html`${inputField(form, 'invoiceNumber', {
      label: 'Invoice number',
      required: true,
      placeholder: 'INV-2026-0140',
    })}${inputField(form, 'amount', { label: `Amount (${r.currency})`, required: true, attrs: 'inputmode="decimal"' })}
${selectField(form, 'milestone', milestones, { label: 'Bills' })}
${inputField(form, 'invoiceDate', { label: 'Dated', type: 'date' })}
<button type="submit" class="primary small">Record invoice</button>`;
    return html`<details class="more"${form.failed ? html` open` : ''}><summary>Record a baseline invoice…</summary>
${postForm(viewer, `${projectReconciliationPath(r.projectId)}/invoices`, form, fields)}</details>`;
  };
  return html`<section class="panel" id="baseline" aria-label="Baseline contract">
<h2>Baseline contract</h2>
<p>Contract ${m(b.contract)} · invoiced ${m(b.invoiced)} · <strong>not yet invoiced ${m(b.uninvoiced)}</strong></p>
${dataTable('data compact', ['Invoiced for', numColumn('Invoiced')], rows)}
${invoices}
${recordForm()}
</section>`;
}

export function projectReconciliationPage(
  viewer: Viewer,
  args: {
    answer: ProjectReconciliation;
    asOf?: string;
    asOfFailure?: FormFailure;
    failure?: FormFailure;
    notice?: string;
  },
): string {
  const { answer: r, asOf } = args;
  const base = projectReconciliationPath(r.projectId);
  const voidForm = (order: OrderRow, i: InvoiceRow): Html | string => {
    if (asOf) return '';
    const form = FormView.of(`void-${order.changeOrderId}-${i.invoiceNumber}`, args.failure);
    const number = encodeURIComponent(i.invoiceNumber);
    const action = `/app/finance/change-orders/${order.changeOrderId}/invoices/${number}/void`;
    const fields = html`${inputField(form, 'reason', { label: 'Why void it?', required: true })}
<button type="submit" class="small">Void ${i.invoiceNumber}</button>`;
    return html`<details class="more"${form.failed ? html` open` : ''}><summary>Void…</summary>
${postForm(viewer, action, form, fields)}</details>`;
  };
  const rows = r.changeOrders.map(
    (o) => html`<tr id="order-${o.changeOrderId}">
<td><span class="mono">${o.number}</span><div class="small muted">signed ${timeTag(o.signedAt)}</div></td>
<td class="num">${money(o.amount, r.currency)}</td>
<td class="num">${money(o.invoiced, r.currency)}</td>
<td class="num">${money(o.uninvoiced, r.currency)}</td>
<td>${settlementBadge(o)}</td>
<td>${
      o.invoices.length
        ? html`<ul class="plain small">${o.invoices.map((i) => invoiceItem(i, r.currency, voidForm(o, i)))}</ul>`
        : html`<span class="muted small">none</span>`
    }</td>
</tr>`,
  );
  const columns = ['Order', ...['Amount', 'Invoiced or credited', 'Remaining'].map(numColumn), 'Settled', 'Invoices'];
  const table = r.changeOrders.length
    ? html`<section class="panel flush">${dataTable('data finance', columns, rows)}</section>`
    : html`<section class="panel empty"><h2>No signed change orders${asOf ? ' at that moment' : ' yet'}</h2></section>`;
  const body = html`${pageHead({
    eyebrow: 'Reconciliation',
    title: r.project,
    lead: html`<a href="${clientReconciliationPath(r.client)}">${r.client}</a> · ${r.currency}`,
    side: html`<div class="head-side"><div class="head-actions">
  <a class="button" href="/app/projects/${r.projectId}">Project</a><a class="button" href="/app/finance">Finance</a>
</div>${asOfForm(base, asOf, args.asOfFailure)}</div>`,
  })}
${asOfNotice(asOf)}
${figureTiles(`Totals in ${r.currency}`, r, r.currency)}
<p class="muted small">Absorbed (no charge): ${money(r.absorbed, r.currency)}</p>
${baselinePanel(viewer, r, { asOf, failure: args.failure })}
${table}`;
  return shell(viewer, `Reconciliation · ${r.project}`, body, { section: 'finance', notice: args.notice });
}

export function clientReconciliationPage(
  viewer: Viewer,
  args: { answer: ClientReconciliation; asOf?: string; asOfFailure?: FormFailure },
): string {
  const { answer: c, asOf } = args;
  const base = clientReconciliationPath(c.client);
  const at = asOf ? `?asOf=${encodeURIComponent(asOf)}` : '';
  const rows = c.projects.map(
    (p) => html`<tr>
<td><a class="strong" href="${projectReconciliationPath(p.projectId)}${at}">${p.project}</a>
<div class="small muted">${plural(p.changeOrders.length, 'signed change order')}</div></td>
<td class="num">${money(p.contractValue, p.currency)}</td>
<td class="num">${money(p.baselineInvoiced, p.currency)}</td>
<td class="num">${money(p.baselineUninvoiced, p.currency)}</td>
<td class="num">${money(p.invoiced, p.currency)}</td>
<td class="num">${money(p.credited, p.currency)}</td>
<td class="num">${money(p.signedUninvoiced, p.currency)}</td>
<td class="num">${money(p.uncredited, p.currency)}</td>
</tr>`,
  );
  const columns = [
    'Project',
    ...[
      'Contract value',
      'Baseline invoiced',
      'Baseline not invoiced',
      'Changes invoiced',
      'Credited',
      'Signed, not invoiced',
      'Not yet credited',
    ].map(numColumn),
  ];
  const body = html`${pageHead({
    eyebrow: 'Client reconciliation',
    title: c.client,
    lead: `${plural(c.projects.length, 'project')}; totals per currency, which never add up across currencies.`,
    side: html`<div class="head-side"><div class="head-actions"><a class="button" href="/app/finance">Finance</a></div>
${asOfForm(base, asOf, args.asOfFailure)}</div>`,
  })}
${asOfNotice(asOf)}
${c.currencies.map((currency) => figureTiles(`Totals in ${currency}`, c.totals[currency], currency))}
${
  c.projects.length
    ? html`<section class="panel flush">${dataTable('data finance', columns, rows)}</section>`
    : html`<section class="panel empty"><h2>No project of this client existed at that moment</h2></section>`
}`;
  return shell(viewer, `Reconciliation · ${c.client}`, body, { section: 'finance' });
}
