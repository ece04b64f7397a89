import {
  BoardColumn,
  COLUMN_LABELS,
  orderNumber,
  ProjectEvent,
  ProjectState,
  requestNumber,
  upcastProjectEvent,
} from '@scope-ledger/domain';
import { ChainVerification, RecordedEvent } from '@scope-ledger/event-store';
import { html } from '../../signing/html';
import { dateTime, hours, money, moneyDelta, plural } from './format';
import { shell, Viewer } from './layout';

/** "ChangeOrderSigned" → "Change order signed". */
function eventTitle(type: string): string {
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words[0].toUpperCase() + words.slice(1);
}

/** One line a person can read: which request, order or card, and what happened to it. */
function eventSummary(state: ProjectState, event: ProjectEvent): string {
  const cr = (id: string) => {
    const request = state.changeRequests.get(id);
    return request ? requestNumber(request) : 'a request';
  };
  const co = (id: string) => {
    const order = state.changeOrders.get(id);
    return order ? orderNumber(order) : 'an order';
  };
  const cur = (n: number) => money(n, state.currency);
  switch (event.type) {
    case 'ProjectOpened':
      return (
        `${event.data.name} for ${event.data.client.name}, in ${event.data.currency}, starting ` +
        `${event.data.startDate}`
      );
    case 'BaselineEstablished':
      return (
        `${plural(event.data.items.length, 'scope item')}, ` +
        `${plural(event.data.milestones.length, 'milestone')}, total ${cur(event.data.total)}`
      );
    case 'ChangeRequestLogged': {
      const { title, source, requestedBy } = event.data;
      return `${requestNumber(event.data)} ${title} (${source}, from ${requestedBy.name})`;
    }
    case 'ChangeRequestAssessed':
      return (
        `${cr(event.data.changeRequestId)}: ${plural(event.data.lines.length, 'line')}, ` +
        `${moneyDelta(event.data.costDelta, state.currency)}${event.data.noCharge ? ', no charge' : ''}`
      );
    case 'ChangeRequestDeclined':
      return `${cr(event.data.changeRequestId)}: ${event.data.reason}`;
    case 'ChangeOrderDrafted':
      return (
        `${orderNumber(event.data)} from ${event.data.changeRequestIds.map(cr).join(', ')}, ` +
        `${cur(event.data.amount)}, for ${event.data.signer.name}`
      );
    case 'ChangeOrderIssued':
      return (
        `${co(event.data.changeOrderId)}, document SHA-256 ${event.data.documentSha256.slice(0, 12)}…, ` +
        `expires ${dateTime(event.data.expiresAt)}`
      );
    case 'ChangeOrderViewed':
      return `${co(event.data.changeOrderId)} opened by the signer`;
    case 'ChangeOrderSigned':
      return (
        `${co(event.data.changeOrderId)} signed by ${event.data.signer.name} (${event.data.signature} ` +
        `signature, consent ${event.data.consentVersion})`
      );
    case 'ChangeOrderDeclined':
      return `${co(event.data.changeOrderId)}: ${event.data.reason}`;
    case 'ChangeOrderVoided':
      return `${co(event.data.changeOrderId)}: ${event.data.reason}`;
    case 'ChangeOrderExpired':
      return `${co(event.data.changeOrderId)} expired unsigned`;
    case 'BoardCardAdded':
      return (
        `${event.data.cardId} ${event.data.ref} · ${event.data.title}, ` +
        `${hours(event.data.estimateCentiHours / 100)} h ` +
        `(${event.data.admittedBy.kind === 'baseline' ? 'baseline' : co(event.data.admittedBy.changeOrderId)})`
      );
    case 'BoardCardEstimateRevised':
      return (
        `${event.data.cardId} now ${hours(event.data.estimateCentiHours / 100)} h by ` +
        `${co(event.data.changeOrderId)}`
      );
    case 'BoardCardCancelled':
      return `${event.data.cardId} cancelled by ${co(event.data.changeOrderId)}`;
    case 'BoardCardMoved':
      return `${event.data.cardId}: ${COLUMN_LABELS[event.data.from]} → ${COLUMN_LABELS[event.data.to]}`;
    case 'WipLimitsSet':
      return Object.entries(event.data.limits)
        .map(([c, l]) => `${COLUMN_LABELS[c as BoardColumn]} ${l ?? 'no limit'}`)
        .join(', ');
    case 'TimeLogged':
      return (
        `${event.data.cardId}: ${hours(event.data.centiHours / 100)} h on ` +
        `${event.data.date}${event.data.note ? ` (${event.data.note})` : ''}`
      );
    case 'InvoiceRecorded':
      return `${event.data.invoiceNumber} against ${co(event.data.changeOrderId)}: ${cur(event.data.amount)}`;
    default: {
      const unknown: never = event;
      return String((unknown as { type: string }).type);
    }
  }
}

export function auditPage(
  viewer: Viewer,
  args: { state: ProjectState; events: readonly RecordedEvent[]; verification: ChainVerification },
): string {
  const { state, events, verification } = args;
  const base = `/app/projects/${state.projectId}`;
  const check = verification.valid
    ? html`<div class="notice ok" role="status">
        <strong>Hash chain verified.</strong> All ${plural(verification.events, 'event')} link to the one before;
        head hash <code>${verification.headHash.slice(0, 16)}…</code>.
      </div>`
    : html`<div class="notice bad" role="alert">
        <strong>The hash chain is broken</strong>
        at revision ${Number(verification.firstBreak!.revision)} (${verification.firstBreak!.type}):
        ${verification.firstBreak!.reason}. Events from there on cannot be trusted.
      </div>`;
  const rows = events.map((recorded) => {
    const event = upcastProjectEvent(
      recorded.type,
      recorded.schemaVersion,
      recorded.data,
      recorded.metadata.occurredAt,
    );
    const actor = recorded.metadata.actor;
    return html`<tr>
<td class="num mono">${Number(recorded.revision)}</td>
<td class="small nowrap">${dateTime(recorded.metadata.occurredAt, { seconds: true })}</td>
<td><span class="strong">${eventTitle(recorded.type)}</span><div class="small">${
      event ? eventSummary(state, event) : ''
    }</div>
<details class="more"><summary>Data</summary><pre>${JSON.stringify(recorded.data, null, 2)}</pre></details></td>
<td class="small">${
      actor.kind === 'staff' ? (actor.name ?? actor.id) : actor.kind === 'signer' ? 'Client signer' : 'System'
    }<div class="muted">${actor.kind}${recorded.metadata.ip ? ` · ${recorded.metadata.ip}` : ''}</div></td>
<td class="mono small" title="${String(recorded.metadata.hash ?? '')}"
>${String(recorded.metadata.hash ?? '').slice(0, 10)}</td>
</tr>`;
  });
  const body = html`<div class="page-head"><div><p class="eyebrow">${state.name} · ${state.client.name}</p>
  <h1>Audit trail</h1>
  <p class="muted">Every fact in the project's stream, oldest first, with who did it and when.
  Events are never edited; each carries a SHA-256 over the previous one.</p></div>
  <div class="head-actions">
  <a class="button" href="${base}">Project</a><a class="button" href="${base}/board">Board</a>
  </div></div>
${check}
<section class="panel flush"><div class="table-wrap"><table class="data audit">
<thead><tr>
<th class="num" scope="col">#</th><th scope="col">When</th><th scope="col">Event</th><th scope="col">By</th>
<th scope="col">Hash</th>
</tr></thead>
<tbody>${rows}</tbody></table></div></section>`;
  return shell(viewer, `Audit trail · ${state.name}`, body, {
    section: 'portfolio',
    crumbs: [{ label: 'Portfolio', href: '/app' }, { label: state.name, href: base }, { label: 'Audit trail' }],
  });
}
