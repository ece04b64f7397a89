import { ProjectCommand } from './commands';
import { dependencyAging } from './client-dependencies';
import { decide } from './decide';
import { event, ProjectEvent } from './events';
import { given, stateAfter } from '../testing/decider-specification';
import { baselined, CLIENT } from '../testing/project.fixture';

const DEP = 'dep-tenant-admin';
const CR = 'cr-delay';
const LOGGED_AT = '2026-03-09T10:00:00.000Z';
const RESOLVED_AT = '2026-03-16T15:00:00.000Z';

const logDependency = (changes: Partial<Extract<ProjectCommand, { type: 'LogClientDependency' }>> = {}) =>
  ({
    type: 'LogClientDependency',
    now: LOGGED_AT,
    dependencyId: DEP,
    what: 'Global admin access to the Microsoft 365 tenant',
    milestone: 'M2',
    since: '2026-03-09',
    due: '2026-03-11',
    ...changes,
  }) satisfies ProjectCommand;

const logged = event('ClientDependencyLogged', {
  dependencyId: DEP,
  number: 1,
  what: 'Global admin access to the Microsoft 365 tenant',
  milestone: 'M2',
  since: '2026-03-09',
  due: '2026-03-11',
  loggedAt: LOGGED_AT,
});
// Due Wednesday 11 March, delivered Monday 16 March: Thursday, Friday and Monday lost.
const resolvedLate = event('ClientDependencyResolved', {
  dependencyId: DEP,
  resolvedOn: '2026-03-16',
  resolvedAt: RESOLVED_AT,
});
const waiting: ProjectEvent[] = [...baselined, logged];

describe('client dependencies', () => {
  it('logs what the project waits for, numbered, with the milestone it holds up', () => {
    const state = given(baselined).when(logDependency()).then([logged]);
    expect(state.clientDependencies).toEqual([
      {
        id: DEP,
        number: 1,
        what: 'Global admin access to the Microsoft 365 tenant',
        milestone: 'M2',
        since: '2026-03-09',
        due: '2026-03-11',
        loggedAt: LOGGED_AT,
      },
    ]);
  });

  it('refuses an empty description, an unknown milestone, a wait starting in the future or due before it began', () => {
    given(baselined)
      .when(logDependency({ what: '  ' }))
      .thenThrows('invalid', 'Say what the project waits for', 'what');
    given(baselined)
      .when(logDependency({ milestone: 'M9' }))
      .thenThrows('invalid', 'no milestone M9 (milestones: M1, M2, M3)', 'milestone');
    given(baselined)
      .when(logDependency({ since: '2026-03-10' }))
      .thenThrows('invalid', 'in the future', 'since');
    given(baselined)
      .when(logDependency({ due: '2026-03-06' }))
      .thenThrows('invalid', 'before the wait began', 'due');
    given(baselined)
      .when(logDependency({ due: '2026-02-30' }))
      .thenThrows('invalid', 'calendar date', 'due');
  });

  it('ages an open dependency in working days, overdue after its due date', () => {
    const state = stateAfter(waiting);
    // From Monday 9 to Friday 13 March: 4 working days waiting, 2 of them (Thursday, Friday) past due.
    expect(dependencyAging(state, state.clientDependencies![0], '2026-03-13')).toEqual({
      waitingWorkingDays: 4,
      overdueWorkingDays: 2,
      workingDaysLate: 0,
    });
  });

  it('resolves on the day it arrived, once, not in the future', () => {
    const resolve = { type: 'ResolveClientDependency', dependencyId: DEP } as const;
    const state = given(waiting)
      .when({ ...resolve, now: RESOLVED_AT, resolvedOn: '2026-03-16' })
      .then([resolvedLate]);
    expect(dependencyAging(state, state.clientDependencies![0], '2026-03-20')).toEqual({
      waitingWorkingDays: 5,
      overdueWorkingDays: 0,
      workingDaysLate: 3,
    });
    given([...waiting, resolvedLate])
      .when({ ...resolve, now: RESOLVED_AT })
      .thenThrows('conflict', 'DEP-1 was already resolved on 2026-03-16');
    given(waiting)
      .when({ ...resolve, now: RESOLVED_AT, resolvedOn: '2026-03-17' })
      .thenThrows('invalid', 'in the future', 'resolvedOn');
  });

  it('turns the working days a late dependency cost into an assessed, schedule-only change request', () => {
    const state = given([...waiting, resolvedLate])
      .when({ type: 'RequestDelayChange', now: '2026-03-17T09:00:00.000Z', dependencyId: DEP, changeRequestId: CR })
      .then([
        event('ChangeRequestLogged', {
          changeRequestId: CR,
          number: 1,
          title: 'Waiting for the client: Global admin access to the Microsoft 365 tenant',
          description:
            'DEP-1, "Global admin access to the Microsoft 365 tenant", was due 2026-03-11 and arrived 2026-03-16: ' +
            '3 working days late. M2 moves by as much.',
          source: 'client_dependency',
          requestedBy: CLIENT,
          receivedAt: '2026-03-17T09:00:00.000Z',
          clientDependencyId: DEP,
          loggedAt: '2026-03-17T09:00:00.000Z',
        }),
        event('ChangeRequestAssessed', {
          changeRequestId: CR,
          lines: [],
          schedule: [{ milestone: 'M2', workingDays: 3 }],
          notes: '3 working days lost waiting for the client (DEP-1).',
          noCharge: false,
          costDelta: 0,
          assessedAt: '2026-03-17T09:00:00.000Z',
        }),
      ]);
    expect(state.changeRequests.get(CR)).toMatchObject({ status: 'assessed', source: 'client_dependency' });
    expect(state.clientDependencies![0].changeRequestId).toBe(CR);
  });

  it('claims the days once, only after resolution, only when late, and needs a milestone', () => {
    const request = { type: 'RequestDelayChange', now: '2026-03-17T09:00:00.000Z', dependencyId: DEP } as const;
    given(waiting)
      .when({ ...request, changeRequestId: CR })
      .thenThrows('conflict', 'DEP-1 is still open');
    const resolved = [...waiting, resolvedLate];
    const claim = decide({ ...request, changeRequestId: CR }, stateAfter(resolved));
    given([...resolved, ...claim])
      .when({ ...request, changeRequestId: 'cr-again' })
      .thenThrows('conflict', 'DEP-1 was already claimed by CR-1');
    const onTime = event('ClientDependencyResolved', { ...resolvedLate.data, resolvedOn: '2026-03-11' });
    given([...waiting, onTime])
      .when({ ...request, changeRequestId: CR })
      .thenThrows('conflict', 'arrived on time');
    const withoutMilestone = event('ClientDependencyLogged', { ...logged.data, milestone: undefined });
    given([...baselined, withoutMilestone, resolvedLate])
      .when({ ...request, changeRequestId: CR })
      .thenThrows('invalid', 'names no milestone', 'milestone');
  });
});
