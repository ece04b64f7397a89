import { ProjectCommand } from './commands';
import { decide } from './decide';
import { foldEvents } from './state';
import { event, ProjectEvent } from './events';
import { given } from '../testing/decider-specification';
import {
  CO_1,
  CO_2,
  CR_3,
  DOCUMENT_SHA256,
  onOrder,
  orderDrafted,
  orderVoided,
  REMOVE_SI_3,
  SIGNING_TOKEN_NONCE,
  SIGNING_TOKEN_SHA256,
  withDraftOrder,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const issue = (
  changeOrderId = CO_1,
  now = '2026-03-06T10:30:00.000Z',
  documentSha256 = DOCUMENT_SHA256,
): ProjectCommand => ({
  type: 'IssueChangeOrder',
  now,
  changeOrderId,
  documentSha256,
  signingTokenSha256: SIGNING_TOKEN_SHA256,
  signingTokenNonce: SIGNING_TOKEN_NONCE,
});

const view = (now: string, changeOrderId = CO_1): ProjectCommand => ({
  type: 'RecordChangeOrderView',
  now,
  changeOrderId,
});

describe('issuing a change order', () => {
  it('fixes the contract figures printed on the document and when the signing link expires', () => {
    // issued Friday 6 March, 14 days to sign: until the end of Friday 20 March (UTC, the project has no zone);
    // nothing signed yet, so the contract is the baseline: 749,500
    given(withDraftOrder)
      .when(issue())
      .then([
        event('ChangeOrderIssued', {
          changeOrderId: CO_1,
          documentSha256: DOCUMENT_SHA256,
          signingTokenSha256: SIGNING_TOKEN_SHA256,
          signingTokenNonce: SIGNING_TOKEN_NONCE,
          issuedAt: '2026-03-06T10:30:00.000Z',
          expiresAt: '2026-03-21T00:00:00.000Z',
          originalContract: 749_500,
          previouslyApproved: 0,
          // CR-1 moves M2 by 2 working days, which carries M3 with it.
          schedule: [
            {
              milestone: 'M2',
              name: 'All mailboxes migrated',
              baselineDue: '2026-03-27',
              dueBefore: '2026-03-27',
              dueAfter: '2026-03-31',
              workingDays: 2,
            },
            {
              milestone: 'M3',
              name: 'Handover',
              baselineDue: '2026-04-10',
              dueBefore: '2026-04-10',
              dueAfter: '2026-04-14',
              workingDays: 2,
            },
          ],
        }),
      ]);
  });

  it('counts the value of orders signed before it as previously approved', () => {
    // CO-1 (signed) is worth 117,000 + 78,788 = 195,788; CO-2 expires 30 days after 10 March: at the end of 9 April
    const secondOrderDrafted: ProjectEvent[] = [
      ...withSignedOrder,
      orderDrafted(CO_2, 2, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 3)], { amount: -180_000, expiresInDays: 30 }),
    ];
    given(secondOrderDrafted)
      .when(issue(CO_2, '2026-03-10T16:45:00.000Z'))
      .then([
        event('ChangeOrderIssued', {
          changeOrderId: CO_2,
          documentSha256: DOCUMENT_SHA256,
          signingTokenSha256: SIGNING_TOKEN_SHA256,
          signingTokenNonce: SIGNING_TOKEN_NONCE,
          issuedAt: '2026-03-10T16:45:00.000Z',
          expiresAt: '2026-04-10T00:00:00.000Z',
          originalContract: 749_500,
          previouslyApproved: 195_788,
          schedule: [],
        }),
      ]);
  });

  it("expires at the end of the project's day, in its time zone", () => {
    // Issued at 10:30 UTC on Friday 6 March: already 23:30 in Auckland (UTC+13). Fourteen days from Friday
    // 6 March there run to the end of Friday 20 March, Auckland time: 11:00 UTC on the 20th (a project without a
    // zone counts in UTC, as above: until the midnight UTC that starts the 21st).
    const inAuckland = event('ProjectTimeZoneChanged', {
      timeZone: 'Pacific/Auckland',
      changedAt: '2026-03-01T09:00:00.000Z',
    });
    const events = decide(issue(), foldEvents([...withDraftOrder, inAuckland]));
    expect(events[0].data).toMatchObject({
      issuedAt: '2026-03-06T10:30:00.000Z',
      expiresAt: '2026-03-20T11:00:00.000Z',
    });

    // An hour later it is Saturday 7 March in Auckland: the order runs to the end of Saturday 21 March.
    const later = decide(issue(CO_1, '2026-03-06T11:30:00.000Z'), foldEvents([...withDraftOrder, inAuckland]));
    expect(later[0].data).toMatchObject({ expiresAt: '2026-03-21T11:00:00.000Z' });
  });

  it('is refused for an order that does not exist', () => {
    given(withDraftOrder).when(issue(CO_2)).thenThrows('not_found', `Change order ${CO_2} not found`);
  });

  it('is refused once the order is issued: only a draft can be issued', () => {
    given(withIssuedOrder).when(issue()).thenThrows('conflict', 'CO-1 is issued; only a draft can be issued');
  });

  it('is refused for a voided order', () => {
    given([...withDraftOrder, orderVoided(CO_1, 'Wrong signer')])
      .when(issue())
      .thenThrows('conflict', 'CO-1 is voided');
  });

  it.each([
    ['short', 'abc123'],
    ['upper case', DOCUMENT_SHA256.toUpperCase()],
  ])('is refused for a %s document hash', (_label, hash) => {
    given(withDraftOrder)
      .when(issue(CO_1, '2026-03-06T10:30:00.000Z', hash))
      .thenThrows('invalid', 'SHA-256', 'documentSha256');
  });
});

describe('the client opening an issued change order', () => {
  it('is recorded the first time', () => {
    given(withIssuedOrder)
      .when(view('2026-03-06T11:00:00.000Z'))
      .then([event('ChangeOrderViewed', { changeOrderId: CO_1, viewedAt: '2026-03-06T11:00:00.000Z' })]);
  });

  it('is recorded at most once an hour', () => {
    const viewed = [
      ...withIssuedOrder,
      event('ChangeOrderViewed', { changeOrderId: CO_1, viewedAt: '2026-03-06T11:00:00.000Z' }),
    ];
    given(viewed).when(view('2026-03-06T11:59:59.999Z')).then([]);
    given(viewed)
      .when(view('2026-03-06T12:00:00.000Z'))
      .then([event('ChangeOrderViewed', { changeOrderId: CO_1, viewedAt: '2026-03-06T12:00:00.000Z' })]);
  });

  it('is not recorded for an order that is not awaiting signature', () => {
    given(withDraftOrder).when(view('2026-03-06T11:00:00.000Z')).then([]);
    given(withSignedOrder).when(view('2026-03-10T11:00:00.000Z')).then([]);
  });

  it('is refused for an order that does not exist', () => {
    given(withIssuedOrder).when(view('2026-03-06T11:00:00.000Z', CO_2)).thenThrows('not_found');
  });
});
