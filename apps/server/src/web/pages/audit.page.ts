import {
  BoardColumn,
  COLUMN_LABELS,
  dependencyNumber,
  orderNumber,
  ProjectEvent,
  ProjectState,
  requestNumber,
  upcastProjectEvent,
} from '@scope-ledger/domain';
import { ChainVerification, RecordedEvent } from '@scope-ledger/event-store';
import { html } from '../../signing/html';
import { dateTime, hours, money, moneyDelta, plural, sentenceCase, timeTag } from './format';
import { dataTable, headActions, numColumn, pageHead, shell, Viewer } from './layout';

/** One line a person can read: which request, order or card, and what happened to it. */
function eventSummary(state: ProjectState, event: ProjectEvent, revisionThen: (orderId: string) => number): string {
  const cr = (id: string) => {
    const request = state.changeRequests.get(id);
    return request ? requestNumber(request) : 'a request';
  };
  // An order as it was named when the event happened: CO-2 before its revision, CO-2 R1 after.
  const co = (id: string) => {
    const order = state.changeOrders.get(id);
    return order ? orderNumber({ number: order.number, revision: revisionThen(id) }) : 'an order';
  };
  // An order as it was named by that event: CO-2 when issued, CO-2 R1 when revised.
  const coAt = (id: string, revision: number) => {
    const order = state.changeOrders.get(id);
    return order ? orderNumber({ number: order.number, revision }) : 'an order';
  };
  const cur = (n: number) => money(n, state.currency);
  const { type, data } = event;
  switch (type) {
    case 'ProjectOpened':
      return `${data.name} for ${data.client.name}, in ${data.currency}, starting ${data.startDate}`;
    case 'BaselineEstablished':
      return (
        `${plural(data.items.length, 'scope item')}, ` +
        `${plural(data.milestones.length, 'milestone')}, total ${cur(data.total)}`
      );
    case 'ChangeRequestLogged': {
      const { title, source, requestedBy } = data;
      return `${requestNumber(data)} ${title} (${source}, from ${requestedBy.name})`;
    }
    case 'ChangeRequestAssessed':
      return (
        `${cr(data.changeRequestId)}: ${plural(data.lines.length, 'line')}, ` +
        `${moneyDelta(data.costDelta, state.currency)}${data.noCharge ? ', no charge' : ''}`
      );
    case 'ChangeRequestDeclined':
      return `${cr(data.changeRequestId)}: ${data.reason}`;
    case 'ChangeRequestAmended':
      return `${cr(data.changeRequestId)}: now titled ${data.title}`;
    case 'ChangeOrderDrafted':
      return (
        `${orderNumber(data)} from ${data.changeRequestIds.map(cr).join(', ')}, ` +
        `${cur(data.amount)}, for ${data.signer.name}`
      );
    case 'ChangeOrderIssued':
      return (
        `${coAt(data.changeOrderId, 0)}, document SHA-256 ${data.documentSha256.slice(0, 12)}…, ` +
        `expires ${dateTime(data.expiresAt)}`
      );
    case 'ChangeOrderRevised':
      return (
        `${coAt(data.changeOrderId, data.revision)} replaces ${coAt(data.changeOrderId, data.revision - 1)}, ` +
        `document SHA-256 ${data.documentSha256.slice(0, 12)}…, expires ${dateTime(data.expiresAt)}`
      );
    case 'ChangeOrderViewed':
      return `${co(data.changeOrderId)} opened by the signer`;
    case 'ChangeOrderDocumentDownloaded':
      return `${co(data.changeOrderId)}: the ${data.copy} PDF downloaded by the signer`;
    case 'SignerConsented':
      return `${co(data.changeOrderId)}: the signer consented to sign electronically (${data.disclosureVersion})`;
    case 'SignerConsentWithdrawn':
      return `${co(data.changeOrderId)}: the signer withdrew consent to sign electronically`;
    case 'SigningCodeSent':
      return `${co(data.changeOrderId)}: one-time code emailed to the signer`;
    case 'SigningCodeRejected':
      return `${co(data.changeOrderId)}: a wrong one-time code entered`;
    case 'SigningCodeVerified':
      return `${co(data.changeOrderId)}: one-time code confirmed`;
    case 'ChangeOrderSigned':
      return (
        `${co(data.changeOrderId)} signed by ${data.signer.name} (${data.signature} ` +
        `signature, consent ${data.consentVersion})`
      );
    case 'ChangeOrderDeclined':
    case 'ChangeOrderVoided':
      return `${co(data.changeOrderId)}: ${data.reason}`;
    case 'ChangeOrderExpired':
      return `${co(data.changeOrderId)} expired unsigned`;
    case 'BoardCardAdded':
      return (
        `${data.cardId} ${data.ref} · ${data.title}, ` +
        `${hours(data.estimateCentiHours / 100)} h ` +
        `(${data.admittedBy.kind === 'baseline' ? 'baseline' : co(data.admittedBy.changeOrderId)})`
      );
    case 'BoardCardEstimateRevised':
      return `${data.cardId} now ${hours(data.estimateCentiHours / 100)} h by ${co(data.changeOrderId)}`;
    case 'BoardCardCancelled':
      return `${data.cardId} cancelled by ${co(data.changeOrderId)}`;
    case 'BoardCardMoved':
      return `${data.cardId}: ${COLUMN_LABELS[data.from]} → ${COLUMN_LABELS[data.to]}`;
    case 'BoardCardAssigned':
      return data.personId ? `${data.cardId} assigned to ${data.personId}` : `${data.cardId} assigned to no one`;
    case 'WipLimitsSet':
      return Object.entries(data.limits)
        .map(([c, l]) => `${COLUMN_LABELS[c as BoardColumn]} ${l ?? 'no limit'}`)
        .join(', ');
    case 'TimeLogged':
      return `${data.cardId}: ${hours(data.centiHours / 100)} h on ${data.date}${data.note ? ` (${data.note})` : ''}`;
    case 'InvoiceRecorded': {
      const what = `${data.amount < 0 ? 'Credit note ' : ''}${data.invoiceNumber}`;
      const dated = data.invoiceDate ? `, dated ${data.invoiceDate}` : '';
      return `${what} against ${co(data.changeOrderId)}: ${cur(data.amount)}${dated}`;
    }
    case 'InvoiceVoided':
      return `${data.invoiceNumber} on ${co(data.changeOrderId)} voided: ${data.reason}`;
    case 'BaselineInvoiceRecorded': {
      const billed = data.milestone ? `milestone ${data.milestone} of the baseline` : 'the baseline';
      return `${data.invoiceNumber} against ${billed}: ${cur(data.amount)}, dated ${data.invoiceDate}`;
    }
    case 'BaselineInvoiceVoided':
      return `${data.invoiceNumber} on the baseline voided: ${data.reason}`;
    case 'ProjectRenamed':
      return `Renamed ${data.name}`;
    case 'ProjectManagerChanged':
      return data.manager ? `Manager ${data.manager.name} <${data.manager.email}>` : 'No manager named';
    case 'ClientContactsChanged':
      return (
        `Client contact ${data.client.name} <${data.client.email}>, finance contact ` +
        (data.financeContact ? `${data.financeContact.name} <${data.financeContact.email}>` : 'none')
      );
    case 'ProjectHolidaysChanged':
      return (
        `${plural(data.holidays.length, 'holiday')}` +
        data.milestonesMoved.map((m) => `; ${m.milestone} now due ${m.dueAfter} (was ${m.dueBefore})`).join('')
      );
    case 'ProjectRatesChanged':
      return Object.entries(data.rates)
        .map(([role, rate]) => `${role} ${cur(rate)}/h`)
        .join(', ');
    case 'DefaultExpiryChanged':
      return data.defaultExpiryDays
        ? `Orders expire after ${data.defaultExpiryDays} days by default`
        : 'Default expiry reset';
    case 'ProjectTimeZoneChanged':
      return data.timeZone ? `Time zone ${data.timeZone}` : 'No time zone set';
    case 'ProjectClosed':
      return 'Closed: no new change requests or orders';
    case 'ProjectReopened':
      return 'Reopened';
    case 'ProjectArchived':
      return 'Archived';
    case 'ClientDependencyLogged':
      return (
        `${dependencyNumber(data)}: waiting for ${data.what} since ${data.since}, due ${data.due}` +
        (data.milestone ? ` (holds up ${data.milestone})` : '')
      );
    case 'ClientDependencyResolved': {
      const found = state.clientDependencies?.find((d) => d.id === data.dependencyId);
      return `${found ? dependencyNumber(found) : 'Client dependency'} resolved on ${data.resolvedOn}`;
    }
    default: {
      const unknown: never = type;
      return String(unknown);
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
  const revisionThen = orderRevisions(events);
  const rows = events.map((recorded) => {
    const { type, schemaVersion, data, metadata } = recorded;
    const event = upcastProjectEvent(type, schemaVersion, data, metadata.occurredAt);
    const summary = event ? eventSummary(state, event, (orderId) => revisionThen(orderId, recorded.revision)) : '';
    const { actor, ip } = metadata;
    const hash = String(metadata.hash ?? '');
    return html`<tr>
<td class="num mono">${Number(recorded.revision)}</td>
<td class="small nowrap">${timeTag(metadata.occurredAt, state.timeZone, { seconds: true })}</td>
<td><span class="strong">${sentenceCase(type)}</span><div class="small">${summary}</div>
<details class="more"><summary>Data</summary><pre tabindex="0">${JSON.stringify(data, null, 2)}</pre></details></td>
<td class="small">${
      actor.kind === 'staff' ? (actor.name ?? actor.id) : actor.kind === 'signer' ? 'Client signer' : 'System'
    }<div class="muted">${actor.kind}${ip ? ` · ${ip}` : ''}</div></td>
<td class="mono small" title="${hash}">${hash.slice(0, 10)}</td>
</tr>`;
  });
  const body = html`${pageHead({
    eyebrow: `${state.name} · ${state.client.name}`,
    title: 'Audit trail',
    lead: html`Every fact in the project's stream, oldest first, with who did it and when.
  Events are never edited; each carries a SHA-256 over the previous one.`,
    side: headActions([
      [base, 'Project'],
      [`${base}/board`, 'Board'],
    ]),
  })}
${check}
<section class="panel flush">${dataTable('data audit', [numColumn('#'), 'When', 'Event', 'By', 'Hash'], rows)}
</section>`;
  return shell(viewer, `Audit trail · ${state.name}`, body, {
    crumbs: [{ label: state.name, href: base }, { label: 'Audit trail' }],
  });
}

/** Each order's revision at a point of the stream, from its ChangeOrderRevised events (0 before any). */
function orderRevisions(events: readonly RecordedEvent[]): (orderId: string, at: bigint) => number {
  const revised = events.filter((e) => e.type === 'ChangeOrderRevised');
  return (orderId, at) => {
    let revision = 0;
    for (const e of revised) {
      const data = e.data as { changeOrderId?: string; revision?: number };
      if (e.revision <= at && data.changeOrderId === orderId) revision = data.revision ?? revision;
    }
    return revision;
  };
}
