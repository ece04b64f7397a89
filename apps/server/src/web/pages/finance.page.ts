import { html, Html } from '../../signing/html';
import { calendarDate, dateTime, money, plural } from './format';
import { csrfField, FormFailure, FormView, inputField } from './forms';
import { shell, Viewer } from './layout';

export interface FinanceRow {
  changeOrderId: string;
  projectId: string;
  project: string;
  client: string;
  number: string;
  signedAt: string;
  signedBy: string;
  currency: string;
  amount: number;
  invoiced: number;
  uninvoiced: number;
  absorbed: number;
  invoices: { invoiceNumber: string; amount: number; invoicedAt: string }[];
}

export interface FinanceTotals {
  amount: number;
  invoiced: number;
  uninvoiced: number;
}

/** The period and client as the filter form holds them (calendar dates, client name). */
export interface FinanceFilter {
  from: string;
  to: string;
  client: string;
}

export function financeQuery(filter: FinanceFilter): string {
  const params = new URLSearchParams();
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  if (filter.client) params.set('client', filter.client);
  const text = params.toString();
  return text ? `?${text}` : '';
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
    rows: FinanceRow[];
    totals: Record<string, FinanceTotals>;
    filter: FinanceFilter;
    filterFailure?: FormFailure;
    clients: string[];
    failure?: FormFailure;
    notice?: string;
    today: string;
  },
): string {
  const { rows, filter } = args;
  const filterForm = FormView.of('filter', args.filterFailure, {
    from: filter.from,
    to: filter.to,
    client: filter.client,
  });
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
    filter.from || filter.to || filter.client ? html`<a class="button" href="/app/finance">Clear</a>` : ''
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
    return html`<section class="tiles" aria-label="Totals in ${currency}">
  <div class="tile">
    <span class="tile-label">Signed value${currencies.length > 1 ? ` (${currency})` : ''}</span>
    <span class="tile-value">${money(t.amount, currency)}</span>
    <span class="tile-sub">${plural(orders.length, 'change order')}</span>
  </div>
  <div class="tile">
    <span class="tile-label">Invoiced</span><span class="tile-value">${money(t.invoiced, currency)}</span>
  </div>
  <div class="tile${t.uninvoiced > 0 ? ' tone-warn' : ''}">
    <span class="tile-label">Signed, not invoiced</span><span class="tile-value">${money(t.uninvoiced, currency)}</span>
  </div>
  <div class="tile">
    <span class="tile-label">Absorbed (no charge)</span>
    <span class="tile-value">${money(
      orders.reduce((sum, r) => sum + r.absorbed, 0),
      currency,
    )}</span>
  </div>
</section>`;
  });

  const invoiceForm = (r: FinanceRow): Html => {
    if (r.uninvoiced <= 0) return html`<span class="badge tone-ok">fully invoiced</span>`;
    const form = FormView.of(`invoice-${r.changeOrderId}`, args.failure, {
      amount: money(r.uninvoiced, r.currency).replace(/^\S+ /, ''),
    });
    const fields = html`${inputField(form, 'invoiceNumber', {
      label: 'Invoice number',
      required: true,
      placeholder: 'INV-2026-0142',
    })}${inputField(form, 'amount', {
      label: `Amount (${r.currency})`,
      required: true,
      attrs: 'inputmode="decimal"',
    })}`;
    return html`<details class="more"${form.failed ? html` open` : ''}><summary>Record invoice…</summary>
<form method="post" action="/app/finance/change-orders/${r.changeOrderId}/invoices${financeQuery(filter)}"
class="stack" novalidate>${csrfField(viewer.csrfToken)}${form.summary()}${fields}
<button type="submit" class="primary small">Record invoice</button></form></details>`;
  };

  const table =
    rows.length === 0
      ? html`<section class="panel empty"><h2>No signed change orders${
          filter.from || filter.to || filter.client ? ' match these filters' : ' yet'
        }</h2><p class="muted">Orders appear here the moment the client signs them.</p></section>`
      : html`<section class="panel flush"><div class="table-wrap"><table class="data finance">
<thead><tr>
<th scope="col">Signed</th><th scope="col">Project</th><th scope="col">Order</th><th class="num" scope="col">Amount</th>
<th class="num" scope="col">Invoiced</th><th class="num" scope="col">Uninvoiced</th>
<th class="num" scope="col">Absorbed</th><th scope="col">Invoices</th>
</tr></thead>
<tbody>${rows.map(
          (r) => html`<tr id="order-${r.changeOrderId}">
<td class="small nowrap">${dateTime(r.signedAt)}</td>
<td><a class="strong" href="/app/projects/${r.projectId}">${r.project}</a>
<div class="small muted">${r.client}</div></td>
<td><span class="mono">${r.number}</span>
<a class="small" href="/app/projects/${r.projectId}/change-orders/${r.changeOrderId}/pdf">PDF</a>
<div class="small muted">signed by ${r.signedBy}</div></td>
<td class="num">${money(r.amount, r.currency)}</td>
<td class="num">${money(r.invoiced, r.currency)}</td>
<td class="num${r.uninvoiced > 0 ? ' warn-text strong' : ''}">${money(r.uninvoiced, r.currency)}</td>
<td class="num">${r.absorbed ? money(r.absorbed, r.currency) : '—'}</td>
<td>${
            r.invoices.length
              ? html`<ul class="plain small">${r.invoices.map(
                  (i) =>
                    html`<li>
                      <span class="mono">${i.invoiceNumber}</span> ${money(i.amount, r.currency)}
                      <span class="muted">${calendarDate(i.invoicedAt)}</span>
                    </li>`,
                )}</ul>`
              : ''
          }${invoiceForm(r)}</td>
</tr>`,
        )}</tbody></table></div></section>`;

  const body = html`<div class="page-head"><div><h1>Finance</h1>
  <p class="muted">Signed change orders: exactly what each client signed,
  what has been invoiced and what is still to bill.</p></div>
  <div class="head-actions">
  <a class="button" href="/app/finance/export.csv${financeQuery(filter)}" download>Download CSV</a>
  </div></div>
${filters}
${tiles}
${table}`;
  return shell(viewer, 'Finance', body, { section: 'finance', notice: args.notice });
}
