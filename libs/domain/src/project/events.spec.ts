import {
  event,
  eventTime,
  PROJECT_EVENT_TYPES,
  ProjectEvent,
  ProjectEventType,
  SCHEMA_VERSIONS,
  upcastProjectEvent,
} from './events';
import { foldEvents } from './state';
import {
  ADD_SI_5,
  BASELINE_TOTAL,
  cardCancelled,
  CLIENT,
  CO_1,
  CO_2,
  CO_3,
  co1SignedWithItsWork,
  CR_3,
  CR_4,
  GOOD_FRIDAY,
  onOrder,
  orderDrafted,
  orderIssued,
  orderSigned,
  orderVoided,
  RATES,
  REMOVE_SI_3,
  requestDeclined,
  signerConsented,
  withIssuedOrder,
} from '../testing/project.fixture';

const CO_4 = '3e8f9a0b-0004-4b2c-9d3e-000000000004';
const CO_5 = '3e8f9a0b-0005-4b2c-9d3e-000000000005';
const CLIENT_AT = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' };

/** The time each payload gained in schema version 2; until then the event's metadata held it. */
const TIME_ADDED_IN_VERSION_2: Partial<Record<ProjectEventType, string>> = {
  ProjectOpened: 'openedAt',
  BaselineEstablished: 'establishedAt',
  ChangeRequestLogged: 'loggedAt',
  ChangeRequestAssessed: 'assessedAt',
  ChangeRequestDeclined: 'declinedAt',
  ChangeOrderDrafted: 'draftedAt',
  ChangeOrderVoided: 'voidedAt',
  BoardCardAdded: 'addedAt',
  BoardCardEstimateRevised: 'revisedAt',
  BoardCardCancelled: 'cancelledAt',
  BoardCardMoved: 'movedAt',
  WipLimitsSet: 'setAt',
  TimeLogged: 'loggedAt',
};

const co2Terms = { originalContract: BASELINE_TOTAL, previouslyApproved: 195_788 };

/** A project's stream with every kind of event, as written today. */
const everyKind: ProjectEvent[] = [
  ...withIssuedOrder,
  event('ChangeOrderViewed', { changeOrderId: CO_1, viewedAt: '2026-03-06T11:00:00.000Z' }),
  event('ChangeOrderDocumentDownloaded', {
    changeOrderId: CO_1,
    copy: 'issued',
    downloadedAt: '2026-03-06T11:01:00.000Z',
    ...CLIENT_AT,
  }),
  signerConsented(CO_1, '2026-03-06T11:05:00.000Z'),
  event('SigningCodeSent', {
    changeOrderId: CO_1,
    sentAt: '2026-03-06T11:06:00.000Z',
    codeSalt: 'c2FsdA',
    codeSha256: 'ab'.repeat(32),
    expiresAt: '2026-03-06T11:16:00.000Z',
  }),
  event('SigningCodeRejected', { changeOrderId: CO_1, rejectedAt: '2026-03-06T11:07:00.000Z', ip: CLIENT_AT.ip }),
  event('SigningCodeVerified', { changeOrderId: CO_1, verifiedAt: '2026-03-06T11:08:00.000Z', ip: CLIENT_AT.ip }),
  ...co1SignedWithItsWork,
  event('InvoiceRecorded', {
    changeOrderId: CO_1,
    invoiceNumber: 'INV-2026-031',
    amount: 100_000,
    invoiceDate: '2026-03-10',
    invoicedAt: '2026-03-10T08:00:00.000Z',
  }),
  event('InvoiceRecorded', {
    changeOrderId: CO_1,
    invoiceNumber: 'INV-2026-032',
    amount: 1_000,
    invoiceDate: '2026-03-10',
    invoicedAt: '2026-03-10T08:10:00.000Z',
  }),
  event('InvoiceVoided', {
    changeOrderId: CO_1,
    invoiceNumber: 'INV-2026-032',
    reason: 'Recorded twice',
    voidedAt: '2026-03-10T08:20:00.000Z',
  }),
  event('BaselineInvoiceRecorded', {
    invoiceNumber: 'INV-2026-033',
    amount: 200_000,
    invoiceDate: '2026-03-10',
    milestone: 'M1',
    invoicedAt: '2026-03-10T08:22:00.000Z',
  }),
  event('BaselineInvoiceVoided', {
    invoiceNumber: 'INV-2026-033',
    reason: 'Billed to the wrong entity',
    voidedAt: '2026-03-10T08:24:00.000Z',
  }),
  event('BoardCardMoved', { cardId: 'C-1', from: 'backlog', to: 'in_progress', movedAt: '2026-03-10T08:30:00.000Z' }),
  event('BoardCardAssigned', { cardId: 'C-1', personId: 'P-1', assignedAt: '2026-03-10T08:35:00.000Z' }),
  event('WipLimitsSet', { limits: { in_progress: 3, review: null }, setAt: '2026-03-10T08:45:00.000Z' }),
  event('TimeLogged', {
    cardId: 'C-1',
    centiHours: 350,
    date: '2026-03-10',
    note: 'Pilot group',
    loggedAt: '2026-03-10T17:00:00.000Z',
  }),
  // CO-2 removes SI-3 and is signed: card C-3 is cancelled.
  orderDrafted(CO_2, 2, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 3)], {
    amount: -180_000,
    draftedAt: '2026-03-11T09:00:00.000Z',
  }),
  orderIssued(CO_2, { ...co2Terms, issuedAt: '2026-03-11T10:00:00.000Z', expiresAt: '2026-03-25T10:00:00.000Z' }),
  orderSigned(CO_2, '2026-03-11T15:00:00.000Z'),
  cardCancelled('C-3', CO_2, '2026-03-11T15:00:00.000Z'),
  // CR-4's goodwill goes on three orders that come to nothing, and is then declined.
  orderDrafted(CO_3, 3, [CR_4], [onOrder(ADD_SI_5, CR_4, 4, true)], {
    amount: 0,
    absorbed: 14_325,
    draftedAt: '2026-03-12T09:00:00.000Z',
  }),
  orderVoided(CO_3, 'Wrong signer', '2026-03-12T09:30:00.000Z'),
  orderDrafted(CO_4, 4, [CR_4], [onOrder(ADD_SI_5, CR_4, 4, true)], {
    amount: 0,
    absorbed: 14_325,
    draftedAt: '2026-03-12T10:00:00.000Z',
  }),
  orderIssued(CO_4, { ...co2Terms, issuedAt: '2026-03-12T11:00:00.000Z', expiresAt: '2026-03-26T11:00:00.000Z' }),
  event('SignerConsentWithdrawn', { changeOrderId: CO_4, withdrawnAt: '2026-03-13T08:00:00.000Z', ...CLIENT_AT }),
  event('ChangeOrderDeclined', {
    changeOrderId: CO_4,
    reason: 'Not this quarter',
    declinedAt: '2026-03-13T09:00:00.000Z',
    ...CLIENT_AT,
  }),
  orderDrafted(CO_5, 5, [CR_4], [onOrder(ADD_SI_5, CR_4, 4, true)], {
    amount: 0,
    absorbed: 14_325,
    expiresInDays: 1,
    draftedAt: '2026-03-13T10:00:00.000Z',
  }),
  orderIssued(CO_5, { ...co2Terms, issuedAt: '2026-03-13T11:00:00.000Z', expiresAt: '2026-03-14T11:00:00.000Z' }),
  event('ChangeOrderRevised', {
    ...orderIssued(CO_5, { ...co2Terms, issuedAt: '2026-03-13T12:00:00.000Z', expiresAt: '2026-03-14T11:00:00.000Z' })
      .data,
    revision: 1,
    schedule: [],
  }),
  event('ChangeOrderExpired', { changeOrderId: CO_5, expiredAt: '2026-03-14T11:00:00.000Z' }),
  event('ChangeRequestAmended', {
    changeRequestId: CR_4,
    title: 'Printer drivers on the front desk',
    description: 'Asked for by phone',
    amendedAt: '2026-03-15T09:00:00.000Z',
  }),
  requestDeclined(CR_4, 'The client bought new printers', 'other', '2026-03-16T09:00:00.000Z'),
  // Settings change after opening; the project is closed, archived and reopened.
  event('ProjectRenamed', { name: 'M365 migration, phase 2', changedAt: '2026-03-17T09:00:00.000Z' }),
  event('ProjectManagerChanged', {
    manager: { name: 'Sam Okafor', email: 'sam@msp.example' },
    changedAt: '2026-03-17T09:00:00.000Z',
  }),
  event('ClientContactsChanged', {
    client: CLIENT,
    financeContact: { name: 'Lee Park', email: 'ap@contoso-dental.example' },
    changedAt: '2026-03-17T09:00:00.000Z',
  }),
  event('ProjectHolidaysChanged', {
    holidays: [GOOD_FRIDAY],
    milestonesMoved: [],
    changedAt: '2026-03-17T09:00:00.000Z',
  }),
  event('ProjectRatesChanged', { rates: RATES, changedAt: '2026-03-17T09:00:00.000Z' }),
  event('DefaultExpiryChanged', { defaultExpiryDays: 21, changedAt: '2026-03-17T09:00:00.000Z' }),
  event('ProjectTimeZoneChanged', { timeZone: 'Europe/Dublin', changedAt: '2026-03-17T09:00:00.000Z' }),
  event('ProjectClosed', { closedAt: '2026-03-18T09:00:00.000Z' }),
  event('ProjectArchived', { archivedAt: '2026-03-18T10:00:00.000Z' }),
  event('ProjectReopened', { reopenedAt: '2026-03-19T09:00:00.000Z' }),
  event('ClientDependencyLogged', {
    dependencyId: 'dep-1',
    number: 1,
    what: 'Admin access to the tenant',
    milestone: 'M1',
    since: '2026-03-19',
    due: '2026-03-23',
    loggedAt: '2026-03-19T10:00:00.000Z',
  }),
  event('ClientDependencyResolved', {
    dependencyId: 'dep-1',
    resolvedOn: '2026-03-26',
    resolvedAt: '2026-03-26T15:00:00.000Z',
  }),
];

/** How an event written before its payload carried its time is stored: without it, the time in its metadata. */
function storedAsVersion1(written: ProjectEvent) {
  const data: Record<string, unknown> = { ...written.data };
  const field = TIME_ADDED_IN_VERSION_2[written.type];
  if (field) delete data[field];
  return { type: written.type, schemaVersion: 1, data, occurredAt: eventTime(written) };
}

const firstOf = (type: ProjectEventType) => everyKind.find((e) => e.type === type)!;

describe('the stream used here', () => {
  it('holds every kind of event, and the types that gained their time are the ones at version 2', () => {
    expect(new Set(everyKind.map((e) => e.type))).toEqual(new Set(PROJECT_EVENT_TYPES));
    expect(Object.keys(TIME_ADDED_IN_VERSION_2).sort()).toEqual(
      PROJECT_EVENT_TYPES.filter((type) => SCHEMA_VERSIONS[type] === 2).sort(),
    );
  });
});

describe('upcasting a stored event', () => {
  const metadataTime = '2026-03-01T07:00:00.000Z';

  it.each(Object.entries(TIME_ADDED_IN_VERSION_2))(
    'gives a version 1 %s the time of its metadata as %s',
    (type, field) => {
      const { data } = storedAsVersion1(firstOf(type as ProjectEventType));
      expect(data).not.toHaveProperty(field);
      const upcast = upcastProjectEvent(type, 1, data, metadataTime);
      expect(upcast).toEqual({ type, data: { ...data, [field]: metadataTime } });
      expect(eventTime(upcast!)).toBe(metadataTime);
    },
  );

  it.each(PROJECT_EVENT_TYPES)('returns a current-version %s as stored, with its own time', (type) => {
    const written = firstOf(type);
    const upcast = upcastProjectEvent(type, SCHEMA_VERSIONS[type], written.data, metadataTime);
    expect(upcast).toEqual(written);
    expect(eventTime(upcast!)).toBe(eventTime(written));
  });

  it('keeps a time that a version 1 payload already holds', () => {
    const written = firstOf('ChangeRequestLogged');
    expect(upcastProjectEvent('ChangeRequestLogged', 1, written.data, metadataTime)).toEqual(written);
  });

  it.each(['ProjectMerged', 'toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'gives undefined for the unknown type %p',
    (type) => {
      expect(upcastProjectEvent(type, 1, { changeOrderId: CO_1 }, metadataTime)).toBeUndefined();
    },
  );

  it('folds a stream of version 1 events into the same state as the same events written today', () => {
    const stored = JSON.parse(JSON.stringify(everyKind.map(storedAsVersion1))) as ReturnType<typeof storedAsVersion1>[];
    const upcast = stored.map((e) => upcastProjectEvent(e.type, e.schemaVersion, e.data, e.occurredAt)!);
    expect(upcast).toEqual(everyKind);
    expect(foldEvents(upcast)).toEqual(foldEvents(everyKind));
  });
});
