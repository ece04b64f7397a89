import { calendarDateIn, IsoDate, isIsoDate } from '../shared/calendar';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { assessChangeRequest, logChangeRequest } from './change-requests';
import { CommandOf } from './commands';
import { event, ProjectEvent } from './events';
import { calendarOf, ClientDependencyState, evolve, ProjectState } from './state';

/**
 * What a project waits for from its client (approvals, information, access): logged with the milestone it holds
 * up and when it is due, resolved when it arrives. One that arrived late can become a schedule-only change
 * request for the working days lost, for the client to sign like any other.
 */

export function logClientDependency(command: CommandOf<'LogClientDependency'>, state: ProjectState): ProjectEvent[] {
  const dependencies = clientDependenciesOf(state);
  if (dependencies.some((d) => d.id === command.dependencyId))
    throw conflict('A client dependency with this id already exists');
  const what = command.what.trim();
  if (!what) throw invalid('Say what the project waits for from the client', 'what');
  const milestone = command.milestone?.trim() || undefined;
  if (milestone !== undefined) requireMilestone(state, milestone, 'milestone');
  const since = command.since ?? calendarDateIn(command.now, state.timeZone);
  if (!isIsoDate(since)) throw invalid('Since must be a calendar date (YYYY-MM-DD)', 'since');
  if (since > calendarDateIn(command.now, state.timeZone))
    throw invalid(`Since ${since} is in the future: log what the project waits for once it waits`, 'since');
  if (!isIsoDate(command.due)) throw invalid('Due must be a calendar date (YYYY-MM-DD)', 'due');
  if (command.due < since) throw invalid(`Due ${command.due} is before the wait began (${since})`, 'due');
  return [
    event('ClientDependencyLogged', {
      dependencyId: command.dependencyId,
      number: dependencies.length + 1,
      what,
      ...(milestone ? { milestone } : {}),
      since,
      due: command.due,
      loggedAt: command.now,
    }),
  ];
}

export function resolveClientDependency(
  command: CommandOf<'ResolveClientDependency'>,
  state: ProjectState,
): ProjectEvent[] {
  const dependency = requireDependency(state, command.dependencyId);
  if (dependency.resolved)
    throw conflict(`${dependencyNumber(dependency)} was already resolved on ${dependency.resolved.on}`);
  const today = calendarDateIn(command.now, state.timeZone);
  const resolvedOn = command.resolvedOn ?? today;
  if (!isIsoDate(resolvedOn)) throw invalid('The day it arrived must be a calendar date (YYYY-MM-DD)', 'resolvedOn');
  if (resolvedOn > today)
    throw invalid(`It cannot have arrived on ${resolvedOn}, in the future (today is ${today})`, 'resolvedOn');
  if (resolvedOn < dependency.since)
    throw invalid(`It cannot have arrived on ${resolvedOn}, before the wait began (${dependency.since})`, 'resolvedOn');
  return [event('ClientDependencyResolved', { dependencyId: dependency.id, resolvedOn, resolvedAt: command.now })];
}

/** Logs and assesses, in one step, a request shifting the milestone by the working days the dependency was late. */
export function requestDelayChange(command: CommandOf<'RequestDelayChange'>, state: ProjectState): ProjectEvent[] {
  const dependency = requireDependency(state, command.dependencyId);
  const label = dependencyNumber(dependency);
  if (!dependency.resolved) throw conflict(`${label} is still open: resolve it first, then claim the days it cost`);
  if (dependency.changeRequestId) {
    const request = state.changeRequests.get(dependency.changeRequestId);
    throw conflict(`${label} was already claimed by CR-${request?.number ?? '?'}`);
  }
  const lost = workingDaysLate(state, dependency);
  if (lost === 0) throw conflict(`${label} arrived on time (due ${dependency.due}): no working days were lost`);
  const milestone = command.milestone?.trim() || dependency.milestone;
  if (!milestone) throw invalid(`${label} names no milestone: say which milestone moves`, 'milestone');
  requireMilestone(state, milestone, 'milestone');
  const days = lost === 1 ? '1 working day' : `${lost} working days`;
  const logged = logChangeRequest(
    {
      type: 'LogChangeRequest',
      now: command.now,
      changeRequestId: command.changeRequestId,
      title: `Waiting for the client: ${dependency.what}`.slice(0, 300),
      description:
        `${label}, "${dependency.what}", was due ${dependency.due} and arrived ${dependency.resolved.on}: ` +
        `${days} late. ${milestone} moves by as much.`,
      source: 'client_dependency',
      requestedBy: state.manager ?? state.client,
      clientDependencyId: dependency.id,
    },
    state,
  );
  const assessed = assessChangeRequest(
    {
      type: 'AssessChangeRequest',
      now: command.now,
      changeRequestId: command.changeRequestId,
      lines: [],
      schedule: [{ milestone, workingDays: lost }],
      notes: `${days} lost waiting for the client (${label}).`,
      noCharge: false,
    },
    logged.reduce(evolve, state),
  );
  return [...logged, ...assessed];
}

/** Working days from the due date to the day it arrived (0 when on time), in the project's calendar. */
export function workingDaysLate(state: Pick<ProjectState, 'holidays'>, dependency: ClientDependencyState): number {
  if (!dependency.resolved || dependency.resolved.on <= dependency.due) return 0;
  return calendarOf(state).workingDaysBetween(dependency.due, dependency.resolved.on);
}

/** What a project waits for, in the order logged; absent on projects from before dependencies were kept. */
export function clientDependenciesOf(
  state: Pick<ProjectState, 'clientDependencies'>,
): readonly ClientDependencyState[] {
  return state.clientDependencies ?? [];
}

export function dependencyNumber(dependency: Pick<ClientDependencyState, 'number'>): string {
  return `DEP-${dependency.number}`;
}

function requireDependency(state: ProjectState, id: string): ClientDependencyState {
  const dependency = clientDependenciesOf(state).find((d) => d.id === id);
  if (!dependency) throw notFound(`Client dependency ${id} not found`);
  return dependency;
}

function requireMilestone(state: ProjectState, milestone: string, field: string): void {
  if (state.milestones.has(milestone)) return;
  const known = [...state.milestones.keys()].join(', ') || 'none: establish the baseline first';
  throw invalid(`The baseline has no milestone ${milestone} (milestones: ${known})`, field);
}

/** Where a dependency stands on `today`: open (waiting so many working days, overdue or not) or resolved. */
export function dependencyAging(
  state: Pick<ProjectState, 'holidays'>,
  dependency: ClientDependencyState,
  today: IsoDate,
) {
  const calendar = calendarOf(state);
  const until = dependency.resolved?.on ?? today;
  return {
    waitingWorkingDays: until > dependency.since ? calendar.workingDaysBetween(dependency.since, until) : 0,
    overdueWorkingDays:
      !dependency.resolved && today > dependency.due ? calendar.workingDaysBetween(dependency.due, today) : 0,
    workingDaysLate: workingDaysLate(state, dependency),
  };
}
