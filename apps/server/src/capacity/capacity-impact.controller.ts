import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import {
  assignedByRole,
  calendarDateIn,
  calendarDaysBetween,
  capacityImpact,
  capacityPlan,
  IsoDate,
  mondayOf,
  notFound,
  orderNumber,
  PlanningCard,
  planningInputOf,
  projectIfSigned,
  ProjectState,
  requestNumber,
} from '@scope-ledger/domain';
import { StaffApi } from '../auth/staff-auth.guard';
import { uuid } from '../http/request-context';
import { ProjectReads } from '../projects/project-reads';
import { CapacityReads } from './capacity-reads';
import { MAX_WEEKS } from './capacity.controller';
import { Answers } from '../http/answers';
import { CapacityImpact } from '../team/team.schemas';

const hours = (centi: number) => centi / 100;

/**
 * What signing would do to capacity: the plan before and after, over the weeks from this one to the project's
 * later end (at most 52), with the people and weeks that would go over capacity or further over.
 */
@StaffApi('capacity', 'pm', 'finance')
@Controller('api/projects/:id')
export class CapacityImpactController {
  constructor(
    private readonly capacity: CapacityReads,
    private readonly reads: ProjectReads,
  ) {}

  @Get('change-requests/:requestId/capacity-impact')
  @ApiOperation({ summary: 'What signing an assessed request would do to capacity: who would go over, in which weeks' })
  @Answers(200, CapacityImpact, { errors: [404] })
  async ofRequest(@Param('id', uuid) id: string, @Param('requestId', uuid) requestId: string) {
    const state = await this.reads.state(id);
    const request = state.changeRequests.get(requestId);
    if (!request) throw notFound(`Change request ${requestId} not found`);
    // A request already on a live order shows that order's impact, and names it.
    const order =
      request.status === 'ordered' && request.changeOrderId ? state.changeOrders.get(request.changeOrderId) : undefined;
    return {
      changeRequest: requestNumber(request),
      ...(order ? { changeOrder: orderNumber(order) } : {}),
      ...(await this.impact(state, { requestId })),
    };
  }

  @Get('change-orders/:orderId/capacity-impact')
  @ApiOperation({ summary: 'What signing a draft or issued order would do to capacity: who would go over, and when' })
  @Answers(200, CapacityImpact, { errors: [404] })
  async ofOrder(@Param('id', uuid) id: string, @Param('orderId', uuid) orderId: string) {
    const state = await this.reads.state(id);
    const order = state.changeOrders.get(orderId);
    if (!order) throw notFound(`Change order ${orderId} not found`);
    return { changeOrder: orderNumber(order), ...(await this.impact(state, { orderId })) };
  }

  private async impact(state: ProjectState, what: { orderId: string } | { requestId: string }) {
    const sources = await this.capacity.sources();
    const signed = projectIfSigned(state, what, sources.now)!;
    const before = planningInputOf(state);
    const after = planningInputOf(signed.state);
    const afterCards = assignedByRole(after.cards, signed.addedCards, sources.team);
    const others = sources.cards.filter((c) => c.projectId !== state.projectId);
    const otherProjects = sources.projects.filter((p) => p.projectId !== state.projectId);
    const from = mondayOf(calendarDateIn(sources.now, state.timeZone));
    const weeks = weeksUpTo(from, [before.project.end, after.project.end]);
    const plan = (project: typeof before.project, cards: readonly PlanningCard[]) =>
      capacityPlan({ ...sources, from, weeks, projects: [...otherProjects, project], cards: [...others, ...cards] });
    const impact = capacityImpact(plan(before.project, before.cards), plan(after.project, afterCards));
    return {
      projectId: state.projectId,
      from,
      end: { before: before.project.end, after: after.project.end },
      // The work signing admits or changes, and who the plan gives new cards to.
      cards: cardChanges(before.cards, after.cards, afterCards),
      ...impact,
    };
  }
}

/** Weeks from `from` through the later of the ends: the weeks the order can change, at least 1 and at most 52. */
function weeksUpTo(from: IsoDate, ends: readonly (IsoDate | null)[]): number {
  const last = ends
    .filter((e): e is IsoDate => e !== null)
    .sort()
    .at(-1);
  if (!last || last < from) return 1;
  return Math.min(MAX_WEEKS, Math.floor(calendarDaysBetween(from, last) / 7) + 1);
}

function cardChanges(
  before: readonly PlanningCard[],
  after: readonly PlanningCard[],
  planned: readonly PlanningCard[],
) {
  const was = new Map(before.map((c) => [c.cardId, c]));
  return after.flatMap((card) => {
    const earlier = was.get(card.cardId);
    const unchanged =
      earlier &&
      earlier.estimateCentiHours === card.estimateCentiHours &&
      earlier.cancelled === card.cancelled &&
      earlier.title === card.title;
    if (unchanged) return [];
    const change = !earlier ? 'added' : card.cancelled ? 'cancelled' : 'estimate_changed';
    const assignees = planned.filter((c) => c.cardId === card.cardId && c.assignee).map((c) => c.assignee!);
    return [
      {
        cardId: card.cardId,
        title: card.title,
        role: card.role,
        change,
        estimateHoursBefore: earlier ? hours(earlier.estimateCentiHours) : null,
        estimateHoursAfter: card.cancelled ? 0 : hours(card.estimateCentiHours),
        assignees,
      },
    ];
  });
}
