import { ProjectCommand } from './commands';
import { event } from './events';
import { given } from '../testing/decider-specification';
import {
  CO_1,
  CO_2,
  CR_2,
  EXPIRES_AT,
  withDraftOrder,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const expire = (now: string, changeOrderId = CO_1): ProjectCommand => ({
  type: 'ExpireChangeOrder',
  now,
  changeOrderId,
});

describe('expiring a change order', () => {
  it('records the expiry at the moment the signing link ran out, and frees its requests', () => {
    const after = given(withIssuedOrder)
      .when(expire('2026-03-21T00:05:00.000Z'))
      .then([event('ChangeOrderExpired', { changeOrderId: CO_1, expiredAt: EXPIRES_AT })]);
    expect(after.changeOrders.get(CO_1)).toMatchObject({ status: 'expired', closedAt: EXPIRES_AT });
    expect(after.changeRequests.get(CR_2)?.status).toBe('assessed');
    expect(after.changeRequests.get(CR_2)?.changeOrderId).toBeUndefined();
  });

  it('is possible from the very moment of expiry', () => {
    given(withIssuedOrder)
      .when(expire(EXPIRES_AT))
      .then([event('ChangeOrderExpired', { changeOrderId: CO_1, expiredAt: EXPIRES_AT })]);
  });

  it('is refused before the order expires', () => {
    given(withIssuedOrder)
      .when(expire('2026-03-20T10:29:59.999Z'))
      .thenThrows('conflict', `CO-1 expires at ${EXPIRES_AT}`);
  });

  it('is refused for an order not awaiting signature', () => {
    given(withDraftOrder)
      .when(expire('2026-04-30T00:00:00.000Z'))
      .thenThrows('conflict', 'CO-1 is draft, not awaiting signature');
    given(withSignedOrder)
      .when(expire('2026-04-30T00:00:00.000Z'))
      .thenThrows('conflict', 'CO-1 is signed, not awaiting signature');
  });

  it('is refused for an order that does not exist', () => {
    given(withIssuedOrder).when(expire('2026-04-30T00:00:00.000Z', CO_2)).thenThrows('not_found');
  });
});
