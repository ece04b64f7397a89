import { absorbedCost } from './change-orders';
import { ProjectCommand } from './commands';
import { event, ProjectEvent, ScopeChangeLine } from './events';
import { given } from '../testing/decider-specification';
import {
  ADD_SI_4,
  assessed,
  cardCancelled,
  CO_1,
  CO_2,
  co1SignedWithItsWork,
  CR_1,
  CR_2,
  CR_3,
  CR_4,
  DRAFTED_AT,
  MODIFY_SI_1,
  onOrder,
  orderDrafted,
  orderIssued,
  orderSigned,
  orderVoided,
  REMOVE_SI_3,
  requestAssessed,
  requestDeclined,
  requestLogged,
  SI_1,
  SI_1_WITH_SHARED_MAILBOXES,
  SI_3,
  SI_4,
  SI_5,
  SIGNER,
  TERMS,
  withDraftOrder,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const CR_5 = '7a1d2c3b-0005-4c5d-8e6f-000000000005';

const draft = (
  changeRequestIds: string[],
  changes: Partial<Extract<ProjectCommand, { type: 'DraftChangeOrder' }>> = {},
): ProjectCommand => ({
  type: 'DraftChangeOrder',
  now: DRAFTED_AT,
  changeOrderId: CO_1,
  changeRequestIds,
  signer: SIGNER,
  expiresInDays: 14,
  terms: TERMS,
  ...changes,
});

// 45 h x 9,550 = 429,750; against the 40 h baseline item: 429,750 - 382,000 = 47,750 and +5 h
const SI_1_AT_45_HOURS = { ...SI_1, centiHours: 4500, cost: 429_750 };
const MODIFY_SI_1_FROM_BASELINE_TO_45_HOURS: ScopeChangeLine = {
  op: 'modify',
  ref: 'SI-1',
  item: SI_1_AT_45_HOURS,
  before: SI_1,
  costDelta: 47_750,
  centiHoursDelta: 500,
};

describe('drafting a change order', () => {
  it('carries the priced lines and schedule shifts of its requests, and their total', () => {
    // CR-1 add SI-4: 6 h x 19,500 = 117,000; CR-2 modify SI-1: 460,788 - 382,000 = 78,788
    // amount 117,000 + 78,788 = 195,788
    given(assessed)
      .when(draft([CR_1, CR_2]))
      .then([
        event('ChangeOrderDrafted', {
          changeOrderId: CO_1,
          number: 1,
          changeRequestIds: [CR_1, CR_2],
          signer: SIGNER,
          expiresInDays: 14,
          terms: TERMS,
          lines: [
            {
              op: 'add',
              ref: 'SI-4',
              item: SI_4,
              costDelta: 117_000,
              centiHoursDelta: 600,
              changeRequestId: CR_1,
              changeRequestNumber: 1,
              noCharge: false,
              amount: 117_000,
            },
            {
              op: 'modify',
              ref: 'SI-1',
              item: SI_1_WITH_SHARED_MAILBOXES,
              before: SI_1,
              costDelta: 78_788,
              centiHoursDelta: 825,
              changeRequestId: CR_2,
              changeRequestNumber: 2,
              noCharge: false,
              amount: 78_788,
            },
          ],
          schedule: [{ milestone: 'M2', workingDays: 2, changeRequestId: CR_1 }],
          amount: 195_788,
          absorbed: 0,
          draftedAt: DRAFTED_AT,
        }),
      ]);
  });

  it('prices no-charge lines at zero and tracks their cost as absorbed', () => {
    // CR-3 removes SI-3: -180,000 charged; CR-4 adds SI-5 as goodwill: 1.5 h x 9,550 = 14,325 absorbed, 0 charged
    // amount -180,000 + 0 = -180,000; absorbed 14,325
    given(assessed)
      .when(draft([CR_3, CR_4]))
      .then([
        event('ChangeOrderDrafted', {
          changeOrderId: CO_1,
          number: 1,
          changeRequestIds: [CR_3, CR_4],
          signer: SIGNER,
          expiresInDays: 14,
          terms: TERMS,
          lines: [
            {
              op: 'remove',
              ref: 'SI-3',
              item: SI_3,
              before: SI_3,
              costDelta: -180_000,
              centiHoursDelta: -400,
              changeRequestId: CR_3,
              changeRequestNumber: 3,
              noCharge: false,
              amount: -180_000,
            },
            {
              op: 'add',
              ref: 'SI-5',
              item: SI_5,
              costDelta: 14_325,
              centiHoursDelta: 150,
              changeRequestId: CR_4,
              changeRequestNumber: 4,
              noCharge: true,
              amount: 0,
            },
          ],
          schedule: [],
          amount: -180_000,
          absorbed: 14_325,
          draftedAt: DRAFTED_AT,
        }),
      ]);
  });

  it('numbers the next order CO-2, and may take requests freed by a voided order', () => {
    const drafted = given([...withDraftOrder, orderVoided(CO_1, 'Bundling more requests')])
      .when(draft([CR_1, CR_2, CR_3], { changeOrderId: CO_2, expiresInDays: 30 }))
      .then([
        event('ChangeOrderDrafted', {
          changeOrderId: CO_2,
          number: 2,
          changeRequestIds: [CR_1, CR_2, CR_3],
          signer: SIGNER,
          expiresInDays: 30,
          terms: TERMS,
          lines: [
            { ...ADD_SI_4, changeRequestId: CR_1, changeRequestNumber: 1, noCharge: false, amount: 117_000 },
            { ...MODIFY_SI_1, changeRequestId: CR_2, changeRequestNumber: 2, noCharge: false, amount: 78_788 },
            { ...REMOVE_SI_3, changeRequestId: CR_3, changeRequestNumber: 3, noCharge: false, amount: -180_000 },
          ],
          schedule: [{ milestone: 'M2', workingDays: 2, changeRequestId: CR_1 }],
          // 117,000 + 78,788 - 180,000
          amount: 15_788,
          absorbed: 0,
          draftedAt: DRAFTED_AT,
        }),
      ]);
    expect(drafted.changeRequests.get(CR_1)).toMatchObject({ status: 'ordered', changeOrderId: CO_2 });
  });

  it('prices a request assessed after a signed order against the scope that order left', () => {
    // SI-1 is 48.25 h (460,788) after CO-1; to 45 h: 429,750 - 460,788 = -31,038 and -3.25 h
    const reduceSi1: ScopeChangeLine = {
      op: 'modify',
      ref: 'SI-1',
      item: SI_1_AT_45_HOURS,
      before: SI_1_WITH_SHARED_MAILBOXES,
      costDelta: -31_038,
      centiHoursDelta: -325,
    };
    given([...withSignedOrder, requestLogged(CR_5, 5), requestAssessed(CR_5, [reduceSi1])])
      .when(draft([CR_5], { changeOrderId: CO_2 }))
      .then([
        event('ChangeOrderDrafted', {
          changeOrderId: CO_2,
          number: 2,
          changeRequestIds: [CR_5],
          signer: SIGNER,
          expiresInDays: 14,
          terms: TERMS,
          lines: [{ ...reduceSi1, changeRequestId: CR_5, changeRequestNumber: 5, noCharge: false, amount: -31_038 }],
          schedule: [],
          amount: -31_038,
          absorbed: 0,
          draftedAt: DRAFTED_AT,
        }),
      ]);
  });

  describe('is refused', () => {
    it('when the order id is taken', () => {
      given(withDraftOrder)
        .when(draft([CR_3]))
        .thenThrows('conflict', 'A change order with this id already exists');
    });

    it('without change requests', () => {
      given(assessed).when(draft([])).thenThrows('invalid', 'at least one assessed change request', 'changeRequestIds');
    });

    it('when a request is listed twice', () => {
      given(assessed)
        .when(draft([CR_1, CR_2, CR_1]))
        .thenThrows('invalid', 'listed twice', 'changeRequestIds');
    });

    it.each([0, 366, 1.5])('for an expiry of %p days', (expiresInDays) => {
      given(assessed)
        .when(draft([CR_1], { expiresInDays }))
        .thenThrows('invalid', 'between 1 and 365 days', 'expiresInDays');
    });

    it('for a request that is not in the project', () => {
      given(assessed)
        .when(draft([CR_1, CR_5]))
        .thenThrows('invalid', `Change request ${CR_5} does not exist`, 'changeRequestIds[1]');
    });

    it('for a request not yet assessed', () => {
      given([...assessed, requestLogged(CR_5, 5)])
        .when(draft([CR_5]))
        .thenThrows('conflict', 'CR-5 has not been assessed yet');
    });

    it('for a declined request', () => {
      given([...assessed, requestDeclined(CR_3, 'Out of scope', 'out_of_scope')])
        .when(draft([CR_3]))
        .thenThrows('conflict', 'CR-3 was declined');
    });

    it('for a request already on a draft order', () => {
      given(withDraftOrder)
        .when(draft([CR_2], { changeOrderId: CO_2 }))
        .thenThrows('conflict', 'CR-2 already sits on CO-1 (draft)');
    });

    it('for a request already approved on a signed order', () => {
      given(withSignedOrder)
        .when(draft([CR_1], { changeOrderId: CO_2 }))
        .thenThrows('conflict', 'CR-1 already sits on CO-1 (signed)');
    });

    it('when two of its requests change the same scope item', () => {
      given([...assessed, requestLogged(CR_5, 5), requestAssessed(CR_5, [MODIFY_SI_1_FROM_BASELINE_TO_45_HOURS])])
        .when(draft([CR_2, CR_5]))
        .thenThrows('conflict', 'SI-1 is changed by more than one request on this order');
    });

    it('when another unsigned order already changes the same scope item', () => {
      given([
        ...withIssuedOrder,
        requestLogged(CR_5, 5),
        requestAssessed(CR_5, [MODIFY_SI_1_FROM_BASELINE_TO_45_HOURS]),
      ])
        .when(draft([CR_5], { changeOrderId: CO_2 }))
        .thenThrows('conflict', 'SI-1 is already changed by CO-1, which is not yet signed');
    });

    describe('when a signed order changed an item after the request was assessed', () => {
      // CR-5 is assessed while CO-1 awaits signature; CO-1 then adds SI-4 and takes SI-1 to 48.25 h.
      const assessedBeforeSigning = (line: ScopeChangeLine): ProjectEvent[] => [
        ...withIssuedOrder,
        requestLogged(CR_5, 5),
        requestAssessed(CR_5, [line]),
        ...co1SignedWithItsWork,
      ];

      it('a modification priced from the old item', () => {
        given(assessedBeforeSigning(MODIFY_SI_1_FROM_BASELINE_TO_45_HOURS))
          .when(draft([CR_5], { changeOrderId: CO_2 }))
          .thenThrows('conflict', 'SI-1 changed since CR-5 was assessed; assess it again');
      });

      it('a removal priced from the old item', () => {
        const removeSi1: ScopeChangeLine = {
          op: 'remove',
          ref: 'SI-1',
          item: SI_1,
          before: SI_1,
          costDelta: -382_000,
          centiHoursDelta: -4000,
        };
        given(assessedBeforeSigning(removeSi1))
          .when(draft([CR_5], { changeOrderId: CO_2 }))
          .thenThrows('conflict', 'SI-1 changed since CR-5 was assessed');
      });

      it('an addition of an item the signed order has added meanwhile', () => {
        given(assessedBeforeSigning(ADD_SI_4))
          .when(draft([CR_5], { changeOrderId: CO_2 }))
          .thenThrows('conflict', 'SI-4 changed since CR-5 was assessed');
      });

      it('a change to an item the signed order has removed meanwhile', () => {
        // 5 h x 15,000 + 120,000 = 195,000; delta 195,000 - 180,000 = 15,000
        const moreHoursOnSi3: ScopeChangeLine = {
          op: 'modify',
          ref: 'SI-3',
          item: { ...SI_3, centiHours: 500, cost: 195_000 },
          before: SI_3,
          costDelta: 15_000,
          centiHoursDelta: 100,
        };
        const removedBySignedOrder: ProjectEvent[] = [
          ...assessed,
          requestLogged(CR_5, 5),
          requestAssessed(CR_5, [moreHoursOnSi3]),
          orderDrafted(CO_1, 1, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 3)], { amount: -180_000 }),
          orderIssued(CO_1, { originalContract: 749_500, previouslyApproved: 0 }),
          orderSigned(CO_1),
          cardCancelled('C-3', CO_1),
        ];
        given(removedBySignedOrder)
          .when(draft([CR_5], { changeOrderId: CO_2 }))
          .thenThrows('conflict', 'SI-3 changed since CR-5 was assessed');
      });
    });
  });
});

describe('the cost an order absorbs', () => {
  it('counts only the added cost of no-charge lines: a no-charge removal or reduction gives nothing away', () => {
    expect(
      absorbedCost([
        { noCharge: true, costDelta: 14_325 },
        { noCharge: true, costDelta: -180_000 },
        { noCharge: false, costDelta: 50_000 },
      ]),
    ).toBe(14_325);
    expect(absorbedCost([{ noCharge: true, costDelta: -31_038 }])).toBe(0);
  });
});
