import { stateAfter } from '../testing/decider-specification';
import { CO_1, CR_2, EXPIRES_AT, withIssuedOrder, withSignedOrder } from '../testing/project.fixture';
import { stateAt } from './read-time-expiry';

describe('reading a project at a moment', () => {
  const issued = stateAfter(withIssuedOrder);

  it('reads an issued order past its expiry as expired, its request free again, before the expiry is recorded', () => {
    const read = stateAt(issued, EXPIRES_AT);
    expect(read.changeOrders.get(CO_1)).toMatchObject({ status: 'expired', closedAt: EXPIRES_AT });
    expect(read.changeRequests.get(CR_2)).toMatchObject({ status: 'assessed' });
    expect(read.changeRequests.get(CR_2)?.changeOrderId).toBeUndefined();
    expect(read.lastEventAt).toBe(issued.lastEventAt);
    // The stored state is left as it was.
    expect(issued.changeOrders.get(CO_1)?.status).toBe('issued');
  });

  it('leaves an order awaiting signature until its expiry, and signed orders always', () => {
    expect(stateAt(issued, '2026-03-20T10:29:59.999Z').changeOrders.get(CO_1)?.status).toBe('issued');
    expect(stateAt(stateAfter(withSignedOrder), '2027-01-01T00:00:00.000Z').changeOrders.get(CO_1)?.status).toBe(
      'signed',
    );
  });
});
