import {
  calendarDateIn,
  clientDependenciesOf,
  dependencyAging,
  dependencyNumber,
  ProjectState,
  requestNumber,
} from '@scope-ledger/domain';

/** What the project waits for from its client at `moment` (now or an asOf), with how long each has waited. */
export function clientDependenciesView(state: ProjectState, moment: string) {
  const today = calendarDateIn(moment, state.timeZone);
  const dependencies = clientDependenciesOf(state).map((d) => {
    const aging = dependencyAging(state, d, today);
    const request = d.changeRequestId ? state.changeRequests.get(d.changeRequestId) : undefined;
    return {
      id: d.id,
      ref: dependencyNumber(d),
      what: d.what,
      milestone: d.milestone ?? null,
      milestoneName: d.milestone ? (state.milestones.get(d.milestone)?.name ?? null) : null,
      since: d.since,
      due: d.due,
      status: d.resolved ? ('resolved' as const) : today > d.due ? ('overdue' as const) : ('open' as const),
      resolvedOn: d.resolved?.on ?? null,
      ...aging,
      /** Resolved late and not yet claimed: the PM can raise a change request for the days lost. */
      claimable: aging.workingDaysLate > 0 && !d.changeRequestId,
      changeRequest: request ? { id: request.id, number: requestNumber(request), status: request.status } : null,
    };
  });
  return {
    projectId: state.projectId,
    today,
    open: dependencies.filter((d) => d.status !== 'resolved').length,
    overdue: dependencies.filter((d) => d.status === 'overdue').length,
    dependencies,
  };
}

export type ClientDependenciesView = ReturnType<typeof clientDependenciesView>;
