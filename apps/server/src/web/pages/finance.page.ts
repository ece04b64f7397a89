import { calendarDateIn } from '@scope-ledger/domain';
import { html, Html } from '../../signing/html';
import { amountInput, calendarDate, money, plural, timeTag } from './format';
import { FormFailure, FormView, inputField, postForm } from './forms';
import { dataTable, numColumn, pageHead, shell, tile, Viewer } from './layout';
import type { FinanceController } from '../../finance/finance.controller';
import { clientReconciliationPath, projectReconciliationPath } from './finance-reconciliation.page';

// The page shows the API's answer as it is; it defines none of its figures again.
type FinanceList = Exclude<Awaited<ReturnType<FinanceController['list']>>, string>;
type FinanceRow = FinanceList['changeOrders'][number];

/** The period and client as the filter form holds them (calendar dates, client name). */
export interface FinanceFilter {
  from: string;
  to: string;
  client: string;
}

/** The filter as a query string ("?from=…&client=…"), or nothing when nothing is filtered. */
export function financeQuery(filter: FinanceFilter): string {
  const params = new URLSearchParams();
  for (const key of ['from', 'to', 'client'] as const) if (filter[key]) params.set(key, filter[key]);
  return params.size ? `?${params}` : '';
}

/** Quick periods: this month, last month, this quarter, this year (the "to" date is exclusive). */
function periods(today: string): { label: string; from: string; to: string }[] {
  const [y, m] = today.split('-').map(Number);
  const first = (year: number, month: number) => new Date(Date.UTC(year, month - 1, 1)).toISOString().slice(0, 10);
  const quarter = Math.floor((m - 1) / 3) * 3 + 1;
  return [
    { label: 'This month', from: first(y, m), to: first(y, m + 1) },
    { label: 'Last month', from: first(y, m - 1), to: first(y, m) },
    { label: 'This quarter', from: first(y, quarter), to: first(y, quarter + 3) },
    { label: 'This year', from: first(y, 1), to: first(y + 1, 1) },
  ];
}

export function financePage(
  viewer: Viewer,
  args: {
    rows: FinanceList['changeOrders'];
    totals: FinanceList['totals'];
    baselines: FinanceList['baselines'];
    filter: FinanceFilter;
    filterFailure?: FormFailure;
    clients: string[];
    failure?: FormFailure;
    notice?: string;
    today: string;
    /** The moment shown: each order's invoice form is dated and capped at its project's today. */
    now: string;
  },
): string {
  const { rows, filter } = args;
  const filtered = Boolean(filter.from || filter.to || filter.client);
  const filterForm = FormView.of('filter', args.filterFailure, { ...filter });
  const currencies = Object.keys(args.totals);
  const inCurrency = (currency: string) => rows.filter((r) => r.currency === currency);
  const clientChoices = [...new Set([...args.clients, ...(filter.client ? [filter.client] : [])])].sort((a, b) =>
    a.localeCompare(b),
  );
  const filterFields = html`${inputField(filterForm, 'from', { label: 'Signed from', type: 'date' })}
  ${inputField(filterForm, 'to', { label: 'Signed before', type: 'date' })}
  <div class="field"><label for="filter-client">Client</label>
  <select id="filter-client" name="client"><option value="">All clients</option>${clientChoices.map(
    (c) => html`<option value="${c}"${c === filter.client ? html` selected` : ''}>${c}</option>`,
  )}</select></div>`;
  const filters = html`<section class="panel filters">
  <form method="get" action="/app/finance" class="filter-row">${filterFields}
  <div class="actions"><button type="submit" class="primary">Apply</button>${
    filtered ? html`<a class="button" href="/app/finance">Clear</a>` : ''
  }</div></form>
  <p class="presets">${periods(args.today).map(
    (p) =>
      html`<a href="/app/finance${financeQuery({ ...filter, from: p.from, to: p.to })}"${
        p.from === filter.from && p.to === filter.to ? html` aria-current="true"` : ''
      }>${p.label}</a>`,
  )}</p>
</section>`;

  // The API totals per currency (amounts in different currencies never add up); the page adds counts and absorbed cost.
  const tiles = currencies.map((currency) => {
    const t = args.totals[currency];
    const orders = inCurrency(currency);
    const absorbed = orders.reduce((sum, r) => sum + r.absorbed, 0);
    const label = currencies.length > 1 ? ` (${currency})` : '';
    return html`<section class="tiles" aria-label="Totals in ${currency}">
  ${tile(`Signed value${label}`, money(t.amount, currency), plural(orders.length, 'change order'))}
  ${tile('Invoiced', money(t.invoiced, currency))}
  ${tile('Signed, not invoiced', money(t.uninvoiced, currency), undefined, t.uninvoiced > 0 && 'warn')}
  ${tile('Absorbed (no charge)', money(absorbed, currency))}
</section>`;
  });

  // A credit order is settled by credit notes: its form takes the credit as a positive figure.
  const invoiceForm = (r: FinanceRow): Html => {
    if (r.amount === 0) return html`<span class="badge tone-ok">no charge · settled</span>`;
    const credit = r.amount < 0;
    if (r.uninvoiced === 0)
      return html`<span class="badge tone-ok">${credit ? 'fully credited' : 'fully invoiced'}</span>`;
    const noun = credit ? 'credit note' : 'invoice';
    const today = calendarDateIn(args.now, r.timeZone ?? undefined);
    const form = FormView.of(`invoice-${r.changeOrderId}`, args.failure, {
      amount: amountInput(Math.abs(r.uninvoiced), r.currency),
      invoiceDate: today,
    });
    const fields = html`${inputField(form, 'invoiceNumber', {
      label: credit ? 'Credit note number' : 'Invoice number',
      required: true,
      placeholder: credit ? 'CN-2026-0012' : 'INV-2026-0142',
    })}${inputField(form, 'amount', {
      label: `${credit ? 'Credit' : 'Amount'} (${r.currency})`,
      required: true,
      attrs: 'inputmode="decimal"',
    })}${inputField(form, 'invoiceDate', { label: 'Dated', type: 'date', attrs: `max="${today}"` })}
<button type="submit" class="primary small">Record ${noun}</button>`;
    const action = `/app/finance/change-orders/${r.changeOrderId}/invoices${financeQuery(filter)}`;
    return html`<details class="more"${form.failed ? html` open` : ''}><summary>Record ${noun}…</summary>
${postForm(viewer, action, form, fields)}</details>`;
  };

  const columns = [
    'Signed',
    'Project',
    'Order',
    ...['Amount', 'Invoiced', 'Uninvoiced', 'Absorbed'].map(numColumn),
    'Invoices',
  ];
  const table =
    rows.length === 0
      ? html`<section class="panel empty"><h2>No signed change orders${
          filtered ? ' match these filters' : ' yet'
        }</h2><p class="muted">Orders appear here the moment the client signs them.</p></section>`
      : html`<section class="panel flush">${dataTable(
          'data finance',
          columns,
          rows.map(
            (r) => html`<tr id="order-${r.changeOrderId}">
<td class="small nowrap">${timeTag(r.signedAt)}</td>
<td><a class="strong" href="/app/projects/${r.projectId}">${r.project}</a>
<div class="small"><a href="${clientReconciliationPath(r.client)}">${r.client}</a> ·
<a href="${projectReconciliationPath(r.projectId)}">reconciliation</a></div></td>
<td><span class="mono">${r.number}</span>
<a class="small" href="/app/projects/${r.projectId}/change-orders/${r.changeOrderId}/pdf">PDF</a>
<div class="small muted">signed by ${r.signedBy}</div></td>
<td class="num">${money(r.amount, r.currency)}</td>
<td class="num">${money(r.invoiced, r.currency)}</td>
<td class="num${r.uninvoiced > 0 ? ' warn-text strong' : ''}">${money(r.uninvoiced, r.currency)}</td>
<td class="num">${r.absorbed ? money(r.absorbed, r.currency) : '—'}</td>
<td>${
              r.invoices.length
                ? html`<ul class="plain small">${r.invoices.map((i) => {
                    const figures = html`<span class="mono">${i.invoiceNumber}</span> ${money(i.amount, r.currency)}
                        <span class="muted">${calendarDate(i.invoiceDate)}</span>`;
                    return i.voided
                      ? html`<li class="voided"><s>${figures}</s>
                          <span class="muted">voided: ${i.voided.reason}</span></li>`
                      : html`<li>${figures}</li>`;
                  })}</ul>`
                : ''
            }${invoiceForm(r)}</td>
</tr>`,
          ),
        )}</section>`;

  const body = html`${pageHead({
    title: 'Finance',
    lead: html`Signed change orders: exactly what each client signed,
  what has been invoiced and what is still to bill.`,
    side: html`<div class="head-actions">
  <a class="button" href="/app/finance/export.csv${financeQuery(filter)}" download>Download CSV</a>
  <a class="button" href="/app/finance/exports/quickbooks.csv${financeQuery(filter)}" download>QuickBooks import</a>
  <a class="button" href="/app/finance/exports/xero.csv${financeQuery(filter)}" download>Xero import</a>
  </div>`,
  })}
${filters}
${tiles}
${table}
${baselineTable(args.baselines, filtered)}`;
  return shell(viewer, 'Finance', body, { section: 'finance', notice: args.notice });
}

/** Baseline contracts billed by milestone or in part: their invoices dated in the period, and what is left. */
function baselineTable(baselines: FinanceList['baselines'], filtered: boolean): Html {
  if (baselines.length === 0) return html``;
  const columns = ['Project', ...['Contract', 'Invoiced', 'Uninvoiced'].map(numColumn), 'Invoices'];
  return html`<section class="panel flush" aria-labelledby="baseline-invoices">
<div class="panel-head"><h2 id="baseline-invoices">Baseline contracts</h2>
<p class="muted">Invoices against the contract the client signed at the start${
    filtered ? ', dated in this period' : ''
  }; record them on the project's reconciliation page.</p></div>
${dataTable(
  'data finance',
  columns,
  baselines.map(
    (b) => html`<tr id="baseline-${b.projectId}">
<td><a class="strong" href="/app/projects/${b.projectId}">${b.project}</a>
<div class="small"><a href="${clientReconciliationPath(b.client)}">${b.client}</a> ·
<a href="${projectReconciliationPath(b.projectId)}">reconciliation</a></div></td>
<td class="num">${money(b.amount, b.currency)}</td>
<td class="num">${money(b.invoiced, b.currency)}</td>
<td class="num">${money(b.uninvoiced, b.currency)}</td>
<td><ul class="plain small">${b.invoices.map((i) => {
      const figures = html`<span class="mono">${i.invoiceNumber}</span>${
        i.milestone ? html` <span class="muted">${i.milestone}</span>` : ''
      } ${money(i.amount, b.currency)} <span class="muted">${calendarDate(i.invoiceDate)}</span>`;
      return i.voided
        ? html`<li class="voided"><s>${figures}</s> <span class="muted">voided: ${i.voided.reason}</span></li>`
        : html`<li>${figures}</li>`;
    })}</ul></td>
</tr>`,
  ),
)}</section>`;
}
