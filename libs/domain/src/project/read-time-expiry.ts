import { event } from './events';
import { isPastExpiry } from './rules';
import { foldEvents, ProjectState } from './state';

/**
 * The project as read at `now`: an issued order whose time to sign has run out reads as expired, its requests
 * free for a new order, exactly as the ChangeOrderExpired the expiry sweeper appends will record it. The event
 * stays the record; reads only stop showing the order as awaiting signature in between.
 */
export function stateAt<S extends ProjectState>(state: S, now: string): S {
  const overdue = [...state.changeOrders.values()].filter((o) => o.status === 'issued' && isPastExpiry(o, now));
  if (overdue.length === 0) return state;
  const expiries = overdue.map((o) =>
    event('ChangeOrderExpired', { changeOrderId: o.id, expiredAt: o.issue!.expiresAt }),
  );
  // Nothing was appended: the last event is still the last one recorded.
  return { ...(foldEvents(expiries, state) as S), lastEventAt: state.lastEventAt };
}
