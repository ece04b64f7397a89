import { IsoDate } from '../shared/calendar';
import { CardState, calendarOf, MilestoneState, ProjectState } from '../project/state';
import { PlanningCard, PlanningProject } from './capacity';

/** A project's end for planning: its last milestone's current date, after signed orders moved it. */
export function projectEnd(
  milestones: readonly Pick<MilestoneState, 'due' | 'shift'>[],
  holidays: readonly IsoDate[],
): IsoDate | null {
  const last = milestones.at(-1);
  return last ? calendarOf({ holidays }).addWorkingDays(last.due, last.shift) : null;
}

/** Each milestone's current date by ref, after signed orders and holiday changes moved it. */
export function milestoneDates(
  milestones: readonly Pick<MilestoneState, 'ref' | 'due' | 'shift'>[],
  holidays: readonly IsoDate[],
): Map<string, IsoDate> {
  const calendar = calendarOf({ holidays });
  return new Map(milestones.map((m) => [m.ref, calendar.addWorkingDays(m.due, m.shift)]));
}

export function planningProjectOf(state: ProjectState): PlanningProject {
  const { projectId, name, timeZone, startDate, holidays } = state;
  const end = projectEnd([...state.milestones.values()], holidays);
  const milestones = milestoneDates([...state.milestones.values()], holidays);
  return { projectId, name, ...(timeZone ? { timeZone } : {}), startDate, holidays, end, milestones };
}

export function planningCardOf(projectId: string, card: CardState): PlanningCard {
  const {
    id: cardId,
    title,
    role,
    estimateCentiHours,
    loggedCentiHours,
    column,
    cancelled,
    assignee,
    milestone,
  } = card;
  return {
    projectId,
    cardId,
    title,
    role,
    estimateCentiHours,
    loggedCentiHours,
    column,
    cancelled,
    ...(assignee ? { assignee } : {}),
    ...(milestone ? { milestone } : {}),
  };
}

/** A project folded from its stream, as planning reads it: archived projects plan nothing. */
export function planningInputOf(state: ProjectState): { project: PlanningProject; cards: PlanningCard[] } {
  if (state.status === 'archived') return { project: { ...planningProjectOf(state), end: null }, cards: [] };
  return {
    project: planningProjectOf(state),
    cards: [...state.cards.values()].map((card) => planningCardOf(state.projectId, card)),
  };
}
