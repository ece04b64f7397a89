import { ProjectCommand } from './commands';
import { decide } from './decide';
import { event } from './events';
import { given, stateAfter } from '../testing/decider-specification';
import {
  assessed,
  baselined,
  CLIENT,
  CO_1,
  CR_1,
  CR_2,
  DRAFTED_AT,
  GOOD_FRIDAY,
  projectOpened,
  RATES,
  requestLogged,
  SIGNER,
  TERMS,
  DOCUMENT_SHA256,
  SIGNED_AT,
  SIGNED_DOCUMENT_SHA256,
  withOrderReadyToSign,
  withSignedOrder,
} from '../testing/project.fixture';

const NOW = '2026-03-10T09:00:00.000Z';
const PM = { name: 'Sam Okafor', email: 'sam@msp.example' };
const FINANCE = { name: 'Lee Park', email: 'ap@contoso-dental.example' };

type Settings = Omit<Extract<ProjectCommand, { type: 'UpdateProjectSettings' }>, 'type' | 'now'>;
const update = (settings: Settings): ProjectCommand => ({ type: 'UpdateProjectSettings', now: NOW, ...settings });
const close: ProjectCommand = { type: 'CloseProject', now: NOW };
const reopen: ProjectCommand = { type: 'ReopenProject', now: NOW };
const archive: ProjectCommand = { type: 'ArchiveProject', now: NOW };
const closed = event('ProjectClosed', { closedAt: NOW });

describe('changing project settings', () => {
  it('records each kind of change as its own event, in one command', () => {
    given(baselined)
      .when(
        update({ name: 'M365 migration, phase 2', manager: PM, financeContact: FINANCE, timeZone: 'Europe/Berlin' }),
      )
      .then([
        event('ProjectRenamed', { name: 'M365 migration, phase 2', changedAt: NOW }),
        event('ProjectManagerChanged', { manager: PM, changedAt: NOW }),
        event('ClientContactsChanged', { client: CLIENT, financeContact: FINANCE, changedAt: NOW }),
        event('ProjectTimeZoneChanged', { timeZone: 'Europe/Berlin', changedAt: NOW }),
      ]);
  });

  it('appends nothing when nothing differs', () => {
    given(baselined)
      .when(update({ name: 'Microsoft 365 migration', client: CLIENT, holidays: [GOOD_FRIDAY], rates: { ...RATES } }))
      .then([]);
  });

  it('clears the manager and the finance contact with null', () => {
    const state = given([
      ...baselined,
      event('ProjectManagerChanged', { manager: PM, changedAt: NOW }),
      event('ClientContactsChanged', { client: CLIENT, financeContact: FINANCE, changedAt: NOW }),
    ])
      .when(update({ manager: null, financeContact: null }))
      .then([
        event('ProjectManagerChanged', { manager: null, changedAt: NOW }),
        event('ClientContactsChanged', { client: CLIENT, financeContact: null, changedAt: NOW }),
      ]);
    expect(state.manager).toBeUndefined();
    expect(state.financeContact).toBeUndefined();
  });

  it('keeps the finance contact where the notifications read it', () => {
    const state = stateAfter([
      ...baselined,
      event('ClientContactsChanged', { client: SIGNER, financeContact: FINANCE, changedAt: NOW }),
    ]);
    expect(state.financeContact).toEqual(FINANCE);
    expect(state.client).toEqual(SIGNER);
  });

  it('refuses an empty name, a rate card without roles and an impossible expiry or zone, naming the field', () => {
    given(baselined)
      .when(update({ name: '  ' }))
      .thenThrows('invalid', 'needs a name', 'name');
    given(baselined)
      .when(update({ rates: {} }))
      .thenThrows('invalid', 'at least one role', 'rates');
    given(baselined)
      .when(update({ defaultExpiryDays: 0 }))
      .thenThrows('invalid', '1 and 365', 'defaultExpiryDays');
    given(baselined)
      .when(update({ timeZone: 'Mars/Olympus' }))
      .thenThrows('invalid', 'IANA', 'timeZone');
    given(baselined)
      .when(update({ holidays: ['2026-02-30'] }))
      .thenThrows('invalid', 'calendar dates', 'holidays[0]');
  });

  it('stores the time zone as the zone database spells it; the same zone typed otherwise is no change', () => {
    given(baselined)
      .when(update({ timeZone: 'europe/berlin' }))
      .then([event('ProjectTimeZoneChanged', { timeZone: 'Europe/Berlin', changedAt: NOW })]);
    const inBerlin = event('ProjectTimeZoneChanged', { timeZone: 'Europe/Berlin', changedAt: NOW });
    given([...baselined, inBerlin])
      .when(update({ timeZone: 'EUROPE/BERLIN' }))
      .then([]);
  });

  it('refuses the whole command when one setting is wrong: nothing is appended', () => {
    given(baselined)
      .when(update({ name: 'Renamed', defaultExpiryDays: 400 }))
      .thenThrows('invalid');
  });
});

describe('changing rates', () => {
  it('prices assessments from then on at the new rate, and re-prices nothing already priced', () => {
    const newRates = { ...RATES, engineer: 20_000 };
    const before = stateAfter(withSignedOrder);
    const state = given(withSignedOrder)
      .when(update({ rates: newRates }))
      .then([event('ProjectRatesChanged', { rates: newRates, changedAt: NOW })]);
    expect(state.rates.get('engineer')).toBe(20_000);
    expect(state.scope).toEqual(before.scope);
    expect(state.changeOrders).toEqual(before.changeOrders);
    expect(state.changeRequests).toEqual(before.changeRequests);
  });

  it('prices the next assessment at the new rate', () => {
    const newRates = { ...RATES, engineer: 20_000 };
    const history = [
      ...baselined,
      event('ProjectRatesChanged', { rates: newRates, changedAt: NOW }),
      requestLogged(CR_1, 1),
    ];
    const [assessedEvent] = decide(
      {
        type: 'AssessChangeRequest',
        now: NOW,
        changeRequestId: CR_1,
        lines: [{ op: 'add', ref: 'SI-9', title: 'Intune pilot', role: 'engineer', hours: 2 }],
        schedule: [],
        noCharge: false,
      },
      stateAfter(history),
    );
    expect(assessedEvent).toMatchObject({ type: 'ChangeRequestAssessed', data: { costDelta: 40_000 } });
  });
});

describe('changing holidays', () => {
  it('records the current due dates the new calendar moves, for milestones moved by signed orders', () => {
    // CO-1 moved M2 two working days from Fri 27 March to Tue 31 March; a holiday on Mon 30 March makes it Wed 1 April.
    const state = given(withSignedOrder)
      .when(update({ holidays: ['2026-03-30', GOOD_FRIDAY, GOOD_FRIDAY] }))
      .then([
        event('ProjectHolidaysChanged', {
          holidays: ['2026-03-30', GOOD_FRIDAY],
          milestonesMoved: [{ milestone: 'M2', dueBefore: '2026-03-31', dueAfter: '2026-04-01' }],
          changedAt: NOW,
        }),
      ]);
    expect(state.changeOrders.get(CO_1)).toEqual(stateAfter(withSignedOrder).changeOrders.get(CO_1));
  });

  it('moves no baseline date', () => {
    given(baselined)
      .when(update({ holidays: ['2026-03-13'] }))
      .then([event('ProjectHolidaysChanged', { holidays: ['2026-03-13'], milestonesMoved: [], changedAt: NOW })]);
  });
});

describe('the default expiry', () => {
  const draft = (expiresInDays?: number): ProjectCommand => ({
    type: 'DraftChangeOrder',
    now: DRAFTED_AT,
    changeOrderId: CO_1,
    changeRequestIds: [CR_2],
    signer: SIGNER,
    ...(expiresInDays === undefined ? {} : { expiresInDays }),
    terms: TERMS,
  });
  const withDefault = [...assessed, event('DefaultExpiryChanged', { defaultExpiryDays: 30, changedAt: NOW })];

  it('is what a draft that names no expiry gets; a draft that names one keeps it', () => {
    expect(decide(draft(), stateAfter(withDefault))[0]).toMatchObject({ data: { expiresInDays: 30 } });
    expect(decide(draft(7), stateAfter(withDefault))[0]).toMatchObject({ data: { expiresInDays: 7 } });
    expect(decide(draft(), stateAfter(assessed))[0]).toMatchObject({ data: { expiresInDays: 14 } });
  });
});

describe('closing, reopening and archiving', () => {
  it('closes an open project, and refuses to close it twice', () => {
    const state = given(baselined).when(close).then([closed]);
    expect(state.status).toBe('closed');
    given([...baselined, closed])
      .when(close)
      .thenThrows('conflict', 'already closed');
  });

  it('refuses new change requests and orders on a closed project, saying how to go on', () => {
    given([...baselined, closed])
      .when({
        type: 'LogChangeRequest',
        now: NOW,
        changeRequestId: CR_1,
        title: 'One more mailbox',
        description: '',
        source: 'email',
        requestedBy: SIGNER,
      })
      .thenThrows('conflict', 'Project Microsoft 365 migration is closed; reopen it to log change requests');
    given([...assessed, closed])
      .when({
        type: 'DraftChangeOrder',
        now: NOW,
        changeOrderId: CO_1,
        changeRequestIds: [CR_2],
        signer: SIGNER,
        terms: TERMS,
      })
      .thenThrows('conflict', 'is closed; reopen it to draft change orders');
  });

  it('still lets the client sign an order issued before closing', () => {
    const produced = decide(
      {
        type: 'SignChangeOrder',
        now: SIGNED_AT,
        changeOrderId: CO_1,
        name: 'Priya Raman',
        consent: true,
        documentSha256: DOCUMENT_SHA256,
        signature: 'typed',
        signedDocumentSha256: SIGNED_DOCUMENT_SHA256,
        consentVersion: 'esign-consent-1',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
      },
      stateAfter([...withOrderReadyToSign, closed]),
    );
    expect(produced.map((e) => e.type)).toContain('ChangeOrderSigned');
  });

  it('archives only a closed project, and reopening un-archives it', () => {
    given(baselined).when(archive).thenThrows('conflict', 'close it before archiving it');
    const archived = event('ProjectArchived', { archivedAt: NOW });
    given([...baselined, closed])
      .when(archive)
      .then([archived]);
    given([...baselined, closed, archived])
      .when({
        type: 'LogChangeRequest',
        now: NOW,
        changeRequestId: CR_1,
        title: 'One more mailbox',
        description: '',
        source: 'email',
        requestedBy: SIGNER,
      })
      .thenThrows('conflict', 'is archived; reopen it to log change requests');
    const state = given([...baselined, closed, archived])
      .when(reopen)
      .then([event('ProjectReopened', { reopenedAt: NOW })]);
    expect(state.status).toBe('open');
  });

  it('refuses to reopen an open project', () => {
    given([projectOpened]).when(reopen).thenThrows('conflict', 'is open');
  });
});
