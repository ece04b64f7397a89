import type { EvidenceEvent, SigningEvidence } from '@scope-ledger/documents';
import { ChangeOrderState, ProjectEvent, upcastProjectEvent } from '@scope-ledger/domain';
import type { RecordedEvent } from '@scope-ledger/event-store';
import type { OutboxMessage } from '@scope-ledger/notifications';

/** More views or downloads than this are counted rather than listed: the page stays one page. */
const MAX_LISTED_PER_KIND = 10;

export interface EvidenceInput {
  /** The project's stream as recorded, with each event's metadata (who, from which address). */
  readonly events: readonly RecordedEvent[];
  readonly order: ChangeOrderState;
  /** The order's emails in the outbox: the one carrying the current issue's link says whether it left. */
  readonly outbox: readonly OutboxMessage[];
  readonly company: { readonly name?: string; readonly email?: string };
  readonly tsaUrl: string | undefined;
  readonly issuedPageCount: number;
  readonly signing: {
    readonly at: string;
    readonly ip: string;
    readonly userAgent: string;
    readonly timeZone?: string;
  };
}

/**
 * What the certificate of completion states about the current issue of an order: who sent it and
 * from where, and each thing the signer did with its time and address, in order.
 */
export function signingEvidence(input: EvidenceInput): SigningEvidence {
  const { events, order, outbox, company, tsaUrl, issuedPageCount, signing } = input;
  const issueIndex = events.findLastIndex((recorded) => isCurrentIssue(recorded, order));
  const issueEvent = issueIndex >= 0 ? events[issueIndex] : undefined;
  const actor = issueEvent?.metadata.actor;
  // The outbox keys a sign-link email by the id of the event that issued the link.
  const signLinkEmail = outbox.find((m) => m.kind === 'sign_link' && m.dedupeKey.startsWith(`${issueEvent?.id}:`));
  const happened: EvidenceEvent[] = [sent(order, signLinkEmail)];
  const listed = new Map<string, number>();
  for (const recorded of events.slice(issueIndex + 1)) {
    const entry = signerEvent(recorded, order.id);
    if (!entry) continue;
    const seen = (listed.get(entry.what) ?? 0) + 1;
    listed.set(entry.what, seen);
    if (seen <= MAX_LISTED_PER_KIND) happened.push(entry);
  }
  for (const [what, count] of listed) {
    if (count > MAX_LISTED_PER_KIND)
      happened.push({ what, at: signing.at, detail: `${count - MAX_LISTED_PER_KIND} more not listed` });
  }
  happened.push(entry('Signed', signing.at, signing.ip, signing.userAgent));
  return {
    sender: {
      name: actor?.name ?? actor?.id ?? 'Not recorded',
      ...(company.name ? { organisation: company.name } : {}),
      ...(company.email ? { email: company.email } : {}),
      ...(issueEvent?.metadata.ip ? { ip: issueEvent.metadata.ip } : {}),
    },
    events: happened.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
    issuedPageCount,
    ...(signing.timeZone ? { signerTimeZone: signing.timeZone } : {}),
    timeSource: tsaUrl
      ? `RFC 3161 time-stamp from ${tsaUrl}, carried in the seal`
      : 'Asserted by the server clock; no time-stamp authority is configured',
  };
}

function isCurrentIssue(recorded: RecordedEvent, order: ChangeOrderState): boolean {
  if (recorded.type !== 'ChangeOrderIssued' && recorded.type !== 'ChangeOrderRevised') return false;
  const data = recorded.data as { changeOrderId?: string; documentSha256?: string };
  return data.changeOrderId === order.id && data.documentSha256 === order.issue?.documentSha256;
}

/** "Sent" is what a mail server accepted; without that, staff handed the link over themselves. */
function sent(order: ChangeOrderState, email: OutboxMessage | undefined): EvidenceEvent {
  const to = order.signer.email;
  if (email?.status === 'sent' && email.sentAt)
    return {
      what: 'Sent',
      at: email.sentAt,
      detail: `email with the signing link accepted by the mail server for ${to}`,
    };
  const why = email ? `the email was ${email.status}` : 'no email was queued';
  return {
    what: 'Link handed over by staff',
    at: order.issue!.issuedAt,
    detail: `no mail server accepted an email to ${to} (${why}); the time is when the order was issued`,
  };
}

function signerEvent(recorded: RecordedEvent, changeOrderId: string): EvidenceEvent | undefined {
  const event = upcastProjectEvent(recorded.type, recorded.schemaVersion, recorded.data, recorded.metadata.occurredAt);
  if (!event || !('changeOrderId' in event.data) || event.data.changeOrderId !== changeOrderId) return undefined;
  const ip = recorded.metadata.ip;
  return describe(event, ip);
}

function describe(event: ProjectEvent, ip: string | undefined): EvidenceEvent | undefined {
  switch (event.type) {
    case 'ChangeOrderViewed':
      return entry('Viewed', event.data.viewedAt, ip, 'signing page served');
    case 'ChangeOrderDocumentDownloaded':
      return entry('Document downloaded', event.data.downloadedAt, event.data.ip, `${event.data.copy} PDF`);
    case 'SignerConsented': {
      const { disclosureVersion, disclosureSha256, consentedAt } = event.data;
      return entry(
        'Consent given',
        consentedAt,
        event.data.ip,
        `disclosure ${disclosureVersion}, SHA-256 ${disclosureSha256}`,
      );
    }
    case 'SigningCodeSent':
      return entry('Code sent', event.data.sentAt, undefined, 'one-time code emailed to the signer');
    case 'SigningCodeRejected':
      return entry('Code rejected', event.data.rejectedAt, event.data.ip, 'a wrong one-time code was entered');
    case 'SigningCodeVerified':
      return entry('Code verified', event.data.verifiedAt, event.data.ip, 'one-time code entered correctly');
    default:
      return undefined;
  }
}

function entry(what: string, at: string, ip: string | undefined, detail: string): EvidenceEvent {
  return { what, at, ...(ip ? { ip } : {}), detail };
}
