import { DomainError, conflict, notFound } from '../shared/domain-error';
import { ChangeOrderState, ChangeRequestState, ProjectState } from './state';

/** Drafts and orders awaiting signature: they still hold their requests and scope items. */
export function isLiveOrder(order: ChangeOrderState): boolean {
  return order.status === 'draft' || order.status === 'issued';
}

/** "CO-3", and "CO-3 R1" once revised: every page, document and email names the revision the client has. */
export function orderNumber(order: { readonly number: number; readonly revision?: number }): string {
  return order.revision ? `CO-${order.number} R${order.revision}` : `CO-${order.number}`;
}

export function requestNumber(request: Pick<ChangeRequestState, 'number'>): string {
  return `CR-${request.number}`;
}

export function requireRequest(state: ProjectState, id: string): ChangeRequestState {
  const request = state.changeRequests.get(id);
  if (!request) throw notFound(`Change request ${id} not found`);
  return request;
}

export function requireOrder(state: ProjectState, id: string): ChangeOrderState {
  const order = state.changeOrders.get(id);
  if (!order) throw notFound(`Change order ${id} not found`);
  return order;
}

/** The order a request sits on, as people name it: "CO-2 (issued)". */
export function orderLabel(state: ProjectState, orderId: string | undefined): string {
  const order = orderId === undefined ? undefined : state.changeOrders.get(orderId);
  return order ? `${orderNumber(order)} (${order.status})` : 'a change order';
}

/** Why a request can no longer be assessed or declined; undefined while it can. */
export function requestRefusal(
  state: ProjectState,
  request: ChangeRequestState,
  action: 'assessed' | 'declined' | 'amended',
): DomainError | undefined {
  switch (request.status) {
    case 'declined':
      return conflict(`${requestNumber(request)} was declined and cannot be ${action}`);
    case 'ordered':
      return conflict(
        `${requestNumber(request)} sits on ${orderLabel(state, request.changeOrderId)}; ` +
          `void that order before it can be ${action}`,
      );
    case 'approved':
      return conflict(`${requestNumber(request)} is approved on a signed order and final`);
    default:
      return undefined;
  }
}

/** Why the request's wording can no longer be corrected; a draft has not gone out and takes the wording when issued. */
export function amendmentRefusal(state: ProjectState, request: ChangeRequestState): DomainError | undefined {
  const onDraft = request.status === 'ordered' && state.changeOrders.get(request.changeOrderId!)?.status === 'draft';
  return onDraft ? undefined : requestRefusal(state, request, 'amended');
}

/** Whether the order's time to sign has run out at `now`, whether or not the expiry was recorded yet. */
export function isPastExpiry(order: ChangeOrderState, now: string): boolean {
  if (order.status === 'expired') return true;
  return order.issue !== undefined && Date.parse(now) >= Date.parse(order.issue.expiresAt);
}

/** Why the signer cannot sign or decline the order at `now`: gone once closed, a conflict when signed or a draft. */
export function signingRefusal(order: ChangeOrderState, now: string): DomainError | undefined {
  if (order.status === 'signed') return conflict(`${orderNumber(order)} is already signed`);
  if (order.status === 'draft') return conflict(`${orderNumber(order)} has not been issued`);
  if (isPastExpiry(order, now))
    return new DomainError('gone', `${orderNumber(order)} expired at ${order.issue!.expiresAt}`);
  if (order.status !== 'issued') return new DomainError('gone', `${orderNumber(order)} was ${order.status}`);
  return undefined;
}
