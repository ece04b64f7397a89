import { ProjectCommand } from './commands';
import { event } from './events';
import { given } from '../testing/decider-specification';
import {
  CO_1,
  CO_2,
  co1Drafted,
  CR_1,
  CR_2,
  EXPIRES_AT,
  SIGNER,
  TERMS,
  withDraftOrder,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const DECLINED_AT = '2026-03-07T09:00:00.000Z';
const REDRAFTED_AT = '2026-03-08T09:00:00.000Z';

const declineOrder = (
  reason = 'Over the budget for this quarter',
  now = DECLINED_AT,
  changeOrderId = CO_1,
): ProjectCommand => ({
  type: 'DeclineChangeOrder',
  now,
  changeOrderId,
  reason,
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
});

const declined = event('ChangeOrderDeclined', {
  changeOrderId: CO_1,
  reason: 'Over the budget for this quarter',
  declinedAt: DECLINED_AT,
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
});

describe('the client declining a change order', () => {
  it('records the reason, when, and from where', () => {
    given(withIssuedOrder).when(declineOrder('  Over the budget for this quarter ')).then([declined]);
  });

  it('frees its requests, which can go on a new order unchanged', () => {
    const after = given(withIssuedOrder).when(declineOrder()).then([declined]);
    expect(after.changeOrders.get(CO_1)).toMatchObject({ status: 'declined', closedAt: DECLINED_AT });
    for (const id of [CR_1, CR_2]) {
      expect(after.changeRequests.get(id)?.status).toBe('assessed');
      expect(after.changeRequests.get(id)?.changeOrderId).toBeUndefined();
    }

    given([...withIssuedOrder, declined])
      .when({
        type: 'DraftChangeOrder',
        now: REDRAFTED_AT,
        changeOrderId: CO_2,
        changeRequestIds: [CR_1, CR_2],
        signer: SIGNER,
        expiresInDays: 14,
        terms: TERMS,
      })
      .then([
        event('ChangeOrderDrafted', { ...co1Drafted.data, changeOrderId: CO_2, number: 2, draftedAt: REDRAFTED_AT }),
      ]);
  });

  it('is refused without a reason', () => {
    given(withIssuedOrder).when(declineOrder(' ')).thenThrows('invalid', 'Say why you decline', 'reason');
  });

  it('is refused as gone once the order has expired', () => {
    given(withIssuedOrder)
      .when(declineOrder('Too late', '2026-03-21T09:00:00.000Z'))
      .thenThrows('gone', `expired at ${EXPIRES_AT}`);
  });

  it('is refused as gone once the order is declined', () => {
    given([...withIssuedOrder, declined])
      .when(declineOrder())
      .thenThrows('gone', 'CO-1 was declined');
  });

  it('is refused for a signed order', () => {
    given(withSignedOrder).when(declineOrder()).thenThrows('conflict', 'CO-1 is already signed');
  });

  it('is refused for an order not yet issued', () => {
    given(withDraftOrder).when(declineOrder()).thenThrows('conflict', 'CO-1 has not been issued');
  });

  it('is refused for an order that does not exist', () => {
    given(withIssuedOrder)
      .when(declineOrder('No', DECLINED_AT, CO_2))
      .thenThrows('not_found');
  });
});
