import { wouldBeSignedEvents } from '../project/change-orders';
import { decide } from '../project/decide';
import { orderNumber, requestNumber } from '../project/rules';
import { ChangeOrderState, foldEvents, ProjectState } from '../project/state';
import { IsoDate } from '../shared/calendar';
import { conflict } from '../shared/domain-error';
import { currentMembers, roleKey, TeamState } from '../team/state';
import { CapacityPlan, PersonWeek, PlanningCard } from './capacity';

/**
 * What signing a pending order (or an assessed request) would do to capacity. The rule:
 * - the project is folded on with the events signing would append (see wouldBeSignedEvents), so new scope items
 *   become cards, modified ones change their card's estimate (its assignee keeps it), removed ones cancel it, and
 *   milestone shifts move the project's end, over which its cards are planned again;
 * - a new card goes to the people on the team whose role is the card's: all of it to one, split evenly between
 *   several; to nobody, as unassigned demand, when no one holds the role.
 */

const WHAT_IF_ORDER_ID = 'what-if';

/**
 * The project as it would stand once `order` is signed. An assessed request that sits on no order yet is first
 * drafted onto one (by the project's own decider, so the same refusals hold), then signed.
 */
export function projectIfSigned(state: ProjectState, what: { orderId: string } | { requestId: string }, now: string) {
  let project = state;
  let order: ChangeOrderState | undefined;
  if ('orderId' in what) {
    order = state.changeOrders.get(what.orderId);
    if (order && order.status !== 'draft' && order.status !== 'issued')
      throw conflict(
        `${orderNumber(order)} is ${order.status}; only a draft or an order awaiting signature can be signed`,
      );
  } else {
    const request = state.changeRequests.get(what.requestId);
    // A request already on a live order shows what signing that order would do.
    if (request?.status === 'ordered' && request.changeOrderId)
      return projectIfSigned(state, { orderId: request.changeOrderId }, now);
    if (request && request.status !== 'assessed')
      throw conflict(
        `${requestNumber(request)} is ${request.status}; the impact of signing is shown for assessed requests`,
      );
    if (request) {
      const drafted = decide(
        {
          type: 'DraftChangeOrder',
          now,
          changeOrderId: WHAT_IF_ORDER_ID,
          changeRequestIds: [request.id],
          signer: state.client,
          terms: '',
        },
        state,
      );
      project = foldEvents(drafted, state);
      order = project.changeOrders.get(WHAT_IF_ORDER_ID);
    }
  }
  if (!order) return undefined;
  const signing = wouldBeSignedEvents(project, order, now);
  const added = new Set(signing.flatMap((e) => (e.type === 'BoardCardAdded' ? [e.data.cardId] : [])));
  return { state: foldEvents(signing, project), addedCards: added };
}

/**
 * Cards a signature would add go to the people whose role is the card's: all of it to one, split evenly between
 * several (the first ones taking the odd hundredths), to no one (unassigned demand) when nobody holds the role.
 */
export function assignedByRole(
  cards: readonly PlanningCard[],
  added: ReadonlySet<string>,
  team: TeamState,
): PlanningCard[] {
  const members = currentMembers(team);
  return cards.flatMap((card) => {
    if (!added.has(card.cardId) || card.assignee) return [card];
    const holders = members.filter((p) => roleKey(p.role) === roleKey(card.role));
    if (holders.length === 0) return [card];
    const share = (total: number, i: number) =>
      Math.floor(total / holders.length) + (i < total % holders.length ? 1 : 0);
    return holders.map((person, i) => ({
      ...card,
      estimateCentiHours: share(card.estimateCentiHours, i),
      loggedCentiHours: share(card.loggedCentiHours, i),
      assignee: person.personId,
    }));
  });
}

export interface CapacityChange {
  readonly personId: string;
  readonly name: string;
  readonly weekOf: IsoDate;
  readonly capacityHours: number;
  readonly loadHoursBefore: number;
  readonly loadHoursAfter: number;
  readonly utilisationBefore: number | null;
  readonly utilisationAfter: number | null;
  /** Over capacity after signing; wasOverAllocated tells whether it already was. */
  readonly overAllocated: boolean;
  readonly wasOverAllocated: boolean;
}

/**
 * The weeks whose load signing changes, per person, and among them those that would go over capacity or further
 * over; unassigned demand that changes, per role and week.
 */
export function capacityImpact(before: CapacityPlan, after: CapacityPlan) {
  const weeksBefore = new Map(before.people.map((p) => [p.personId, p.weeks]));
  const changes: CapacityChange[] = [];
  for (const person of after.people) {
    const earlier = weeksBefore.get(person.personId) ?? [];
    person.weeks.forEach((week: PersonWeek, i) => {
      const was = earlier[i];
      if (!was || was.loadHours === week.loadHours) return;
      changes.push({
        personId: person.personId,
        name: person.name,
        weekOf: week.weekOf,
        capacityHours: week.capacityHours,
        loadHoursBefore: was.loadHours,
        loadHoursAfter: week.loadHours,
        utilisationBefore: was.utilisation,
        utilisationAfter: week.utilisation,
        overAllocated: week.overAllocated,
        wasOverAllocated: was.overAllocated,
      });
    });
  }
  const demandBefore = new Map(before.unassigned.map((u) => [u.role, u.weeks]));
  const demandAfter = new Map(after.unassigned.map((u) => [u.role, u.weeks]));
  const unassigned = [...new Set([...demandBefore.keys(), ...demandAfter.keys()])].flatMap((role) =>
    after.weeks.flatMap((weekOf, i) => {
      const hoursBefore = demandBefore.get(role)?.[i].hours ?? 0;
      const hoursAfter = demandAfter.get(role)?.[i].hours ?? 0;
      return hoursBefore === hoursAfter ? [] : [{ role, weekOf, hoursBefore, hoursAfter }];
    }),
  );
  const goingOver = changes.filter((c) => c.overAllocated && c.loadHoursAfter > c.loadHoursBefore);
  return {
    weeks: after.weeks,
    changes,
    goingOver,
    people: [...new Set(goingOver.map((c) => c.personId))].map((id) => {
      const weeks = goingOver.filter((c) => c.personId === id);
      return { personId: id, name: weeks[0].name, weeks: weeks.map((c) => c.weekOf) };
    }),
    unassigned,
  };
}
