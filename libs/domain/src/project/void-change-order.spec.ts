import { ProjectCommand } from './commands';
import { event } from './events';
import { given } from '../testing/decider-specification';
import {
  CO_1,
  CO_2,
  CR_1,
  EXPIRES_AT,
  VOIDED_AT,
  withDraftOrder,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const voidOrder = (reason = 'Revising the price after the site survey', changeOrderId = CO_1): ProjectCommand => ({
  type: 'VoidChangeOrder',
  now: VOIDED_AT,
  changeOrderId,
  reason,
});

const voided = event('ChangeOrderVoided', {
  changeOrderId: CO_1,
  reason: 'Revising the price after the site survey',
  voidedAt: VOIDED_AT,
});

describe('voiding a change order', () => {
  it('closes a draft, saying why and when', () => {
    given(withDraftOrder).when(voidOrder()).then([voided]);
  });

  it('closes an issued order awaiting signature and frees its requests', () => {
    const after = given(withIssuedOrder).when(voidOrder('  Revising the price after the site survey  ')).then([voided]);
    expect(after.changeOrders.get(CO_1)).toMatchObject({
      status: 'voided',
      closedReason: 'Revising the price after the site survey',
      closedAt: VOIDED_AT,
    });
    expect(after.changeRequests.get(CR_1)?.status).toBe('assessed');
  });

  it('is refused for a signed order: it is final, corrections are new change orders', () => {
    given(withSignedOrder)
      .when(voidOrder())
      .thenThrows('conflict', 'CO-1 is signed and final; corrections are new change orders');
  });

  it('is refused for an order already closed', () => {
    given([...withDraftOrder, voided])
      .when(voidOrder())
      .thenThrows('conflict', 'CO-1 is already voided');
    given([...withIssuedOrder, event('ChangeOrderExpired', { changeOrderId: CO_1, expiredAt: EXPIRES_AT })])
      .when(voidOrder())
      .thenThrows('conflict', 'CO-1 is already expired');
  });

  it('is refused without a reason', () => {
    given(withDraftOrder).when(voidOrder('')).thenThrows('invalid', 'Say why the order is voided', 'reason');
  });

  it('is refused for an order that does not exist', () => {
    given(withDraftOrder).when(voidOrder('Duplicate', CO_2)).thenThrows('not_found');
  });
});
