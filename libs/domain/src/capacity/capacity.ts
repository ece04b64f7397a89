import { addCalendarDays, calendarDateIn, IsoDate, mondayOf } from '../shared/calendar';
import { CentiHours, divideRoundHalfUp } from '../shared/money';
import { BoardColumn } from '../project/events';
import { ReactiveKind, REACTIVE_KINDS } from '../team/events';
import { roleKey, TeamState } from '../team/state';

/**
 * Capacity planning: who carries how many hours of project work in which week, against what they have.
 *
 * The planning rule:
 * - A live card (not cancelled, not done) still needs its estimate less the hours logged on it, never below zero.
 * - Those hours are spread evenly over the project's working days (its calendar: Monday to Friday less its
 *   holidays, "today" in its time zone) from the later of today and the project's start up to and including the
 *   card's end: the current date of the card's milestone (the one its scope item is due by), or of the project's
 *   last milestone when it names none; current dates are after signed orders and holiday changes moved them.
 *   A card whose window has no working day left (the end is past) puts all it needs on today, or the next
 *   working day: it is overdue.
 * - Week by week the hours are rounded so the weeks always add up to the hours the card needs: the hours planned
 *   up to the end of a week are remaining × working days up to then / working days in the window, rounded half up.
 * - A person's capacity in a week is weeklyCapacity × (weekdays Monday to Friday not on time off) / 5, less the
 *   reactive work logged for that week, never below zero. Team members keep no holiday calendar of their own.
 * - Load is the hours of the cards assigned to the person planned in that week, across every project. Utilisation
 *   is load / capacity; over-allocated when load is more than capacity.
 * - Cards assigned to nobody, or to someone who has left the team, are unassigned demand per role and week.
 * - Projects without milestones have no end to plan to: their cards are left out. Archived projects are left out.
 *   A card naming a milestone the project does not have plans up to the project's end.
 */

/** A project as planning reads it. */
export interface PlanningProject {
  readonly projectId: string;
  readonly name: string;
  readonly timeZone?: string;
  readonly startDate: IsoDate;
  readonly holidays: readonly IsoDate[];
  /** The current date of its last milestone; null when it has none. */
  readonly end: IsoDate | null;
  /** The current date of each of its milestones, by ref; absent: cards plan up to `end`. */
  readonly milestones?: ReadonlyMap<string, IsoDate>;
}

/** A board card as planning reads it. */
export interface PlanningCard {
  readonly projectId: string;
  readonly cardId: string;
  readonly title: string;
  readonly role: string;
  readonly estimateCentiHours: CentiHours;
  readonly loggedCentiHours: CentiHours;
  readonly column: BoardColumn;
  readonly cancelled: boolean;
  readonly assignee?: string;
  /** The ref of the milestone the card is due by; absent: the project's last milestone. */
  readonly milestone?: string;
}

export interface CapacityInput {
  /** The moment planned from: now, or the `asOf` moment. */
  readonly now: string;
  /** The first week's Monday (another day is moved back to its Monday). */
  readonly from: IsoDate;
  readonly weeks: number;
  readonly team: TeamState;
  readonly projects: readonly PlanningProject[];
  readonly cards: readonly PlanningCard[];
}

export interface PersonWeek {
  readonly weekOf: IsoDate;
  readonly capacityHours: number;
  readonly loadHours: number;
  readonly reactiveHours: number;
  readonly timeOffDays: number;
  /** load / capacity with two decimals (1.4 is 140 %); null when the week has no capacity. */
  readonly utilisation: number | null;
  readonly overAllocated: boolean;
}

export interface PersonCapacity {
  readonly personId: string;
  readonly name: string;
  readonly role: string;
  readonly weeks: PersonWeek[];
  readonly totals: {
    readonly capacityHours: number;
    readonly loadHours: number;
    readonly reactiveHours: number;
    readonly timeOffDays: number;
    readonly utilisation: number | null;
    readonly overAllocatedWeeks: number;
  };
}

export interface CapacityPlan {
  readonly from: IsoDate;
  readonly weeks: IsoDate[];
  readonly people: PersonCapacity[];
  readonly unassigned: { readonly role: string; readonly weeks: { weekOf: IsoDate; hours: number }[]; hours: number }[];
  readonly reactive: {
    readonly perPerson: { personId: string; name: string; hours: number }[];
    readonly byKind: Record<ReactiveKind, number>;
    readonly total: number;
  };
}

/** A card's hours in each week of the window, the date it is planned up to, and whether that is already past. */
export interface PlannedCard {
  readonly card: PlanningCard;
  readonly project: PlanningProject;
  readonly end: IsoDate;
  readonly remainingCentiHours: CentiHours;
  readonly weeks: CentiHours[];
  readonly overdue: boolean;
}

const DAY_MS = 86_400_000;
const hours = (centi: number) => centi / 100;

/** Days since 1970-01-01. */
function dayNumber(date: IsoDate): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** Weekdays (Monday to Friday) among the days [0, n) counted from Monday 1969-12-29. */
function weekdaysBefore(n: number): number {
  return Math.floor(n / 7) * 5 + Math.min(n % 7, 5);
}

/** Weekdays in the days a to b inclusive. */
function weekdaysIn(a: number, b: number): number {
  if (b < a) return 0;
  return weekdaysBefore(b + 4) - weekdaysBefore(a + 3);
}

/** A project's working days counted quickly: weekdays less the holidays on weekdays. */
class ProjectDays {
  private readonly holidays: number[];

  constructor(holidays: readonly IsoDate[]) {
    this.holidays = [...new Set(holidays)].map(dayNumber).filter((d) => (d + 3) % 7 < 5);
  }

  count(a: number, b: number): number {
    if (b < a) return 0;
    let holidays = 0;
    for (const day of this.holidays) if (day >= a && day <= b) holidays += 1;
    return weekdaysIn(a, b) - holidays;
  }

  isWorkingDay(day: number): boolean {
    return (day + 3) % 7 < 5 && !this.holidays.includes(day);
  }
}

/** Monday of each week of the window. */
export function planningWeeks(from: IsoDate, weeks: number): IsoDate[] {
  const first = mondayOf(from);
  return Array.from({ length: weeks }, (_, i) => addCalendarDays(first, 7 * i));
}

/** The hours a card still needs: its estimate less what was logged, never below zero; none once done or cancelled. */
export function remainingCentiHours(
  card: Pick<PlanningCard, 'estimateCentiHours' | 'loggedCentiHours' | 'column' | 'cancelled'>,
): CentiHours {
  if (card.cancelled || card.column === 'done') return 0;
  return Math.max(0, card.estimateCentiHours - card.loggedCentiHours);
}

/** The date a card's hours are planned up to: its milestone's current date, else the project's end. */
export function cardEnd(project: PlanningProject, card: Pick<PlanningCard, 'milestone'>): IsoDate | null {
  const due = card.milestone === undefined ? undefined : project.milestones?.get(card.milestone);
  return due ?? project.end;
}

/** What visitPlannedWeeks tells about one card in one week of the window where it has hours. */
type PlannedWeekVisitor = (
  card: PlanningCard,
  project: PlanningProject,
  week: number,
  centiHours: CentiHours,
  remaining: CentiHours,
  overdue: boolean,
  end: IsoDate,
) => void;

/**
 * Plans every live card (see the planning rule above) and calls `visit` for each week of the window in which it
 * has hours; weeks without any are skipped, so a thousand projects over half a year stay quick.
 */
function visitPlannedWeeks(
  input: Pick<CapacityInput, 'now' | 'from' | 'weeks' | 'projects' | 'cards'>,
  visit: PlannedWeekVisitor,
): void {
  const mondays = planningWeeks(input.from, input.weeks).map(dayNumber);
  const cardsOf = new Map<string, PlanningCard[]>();
  for (const card of input.cards) {
    if (remainingCentiHours(card) === 0) continue;
    const list = cardsOf.get(card.projectId);
    if (list) list.push(card);
    else cardsOf.set(card.projectId, [card]);
  }
  // Today depends only on the zone; asking the runtime once per zone keeps a thousand projects quick.
  const todays = new Map<string | undefined, number>();
  const todayIn = (zone: string | undefined) => {
    if (!todays.has(zone)) todays.set(zone, dayNumber(calendarDateIn(input.now, zone)));
    return todays.get(zone)!;
  };
  for (const project of input.projects) {
    const cards = cardsOf.get(project.projectId);
    if (!cards) continue;
    // Cards due by the same date share one window.
    const cardsByEnd = new Map<IsoDate, PlanningCard[]>();
    for (const card of cards) {
      const end = cardEnd(project, card);
      if (end === null) continue;
      const list = cardsByEnd.get(end);
      if (list) list.push(card);
      else cardsByEnd.set(end, [card]);
    }
    if (cardsByEnd.size === 0) continue;
    const days = new ProjectDays(project.holidays);
    const today = todayIn(project.timeZone);
    for (const [endDate, group] of cardsByEnd) visitWindow(project, group, endDate, days, today, mondays, visit);
  }
}

/** Plans the cards of one project that share an end over the working days from today up to that end. */
function visitWindow(
  project: PlanningProject,
  cards: readonly PlanningCard[],
  endDate: IsoDate,
  days: ProjectDays,
  today: number,
  mondays: readonly number[],
  visit: PlannedWeekVisitor,
): void {
  let start = Math.max(today, dayNumber(project.startDate));
  let end = dayNumber(endDate);
  let windowDays = days.count(start, end);
  const overdue = windowDays === 0;
  if (overdue) {
    // Nothing left before the end: all of it lands on the first working day from today.
    start = today;
    while (!days.isWorkingDay(start)) start += 1;
    end = start;
    windowDays = 1;
  }
  // Working days of the window up to the end of each week, and up to the day before the first one.
  const before = days.count(start, Math.min(end, mondays[0] - 1));
  const upTo = mondays.map((monday) => days.count(start, Math.min(end, monday + 6)));
  for (const card of cards) {
    const remaining = remainingCentiHours(card);
    let counted = before;
    let previous = divideRoundHalfUp(remaining * before, windowDays);
    for (let week = 0; week < upTo.length; week++) {
      if (upTo[week] === counted) continue;
      counted = upTo[week];
      const through = divideRoundHalfUp(remaining * counted, windowDays);
      if (through !== previous) visit(card, project, week, through - previous, remaining, overdue, endDate);
      previous = through;
    }
  }
}

/** Every live card's hours per week of the window (see the planning rule above). */
export function planCards(input: Pick<CapacityInput, 'now' | 'from' | 'weeks' | 'projects' | 'cards'>): PlannedCard[] {
  const planned = new Map<PlanningCard, PlannedCard>();
  visitPlannedWeeks(input, (card, project, week, centiHours, remaining, overdue, end) => {
    let entry = planned.get(card);
    if (!entry) {
      const weeks = Array.from({ length: input.weeks }, () => 0);
      entry = { card, project, end, remainingCentiHours: remaining, weeks, overdue };
      planned.set(card, entry);
    }
    entry.weeks[week] = centiHours;
  });
  return [...planned.values()];
}

/** Load against capacity per person and week across every project, unassigned demand per role, reactive work. */
export function capacityPlan(input: CapacityInput): CapacityPlan {
  const weekDates = planningWeeks(input.from, input.weeks);
  const mondays = weekDates.map(dayNumber);
  const people = [...input.team.people.values()].filter((p) => p.leftAt === undefined);
  const load = new Map(people.map((p) => [p.personId, mondays.map(() => 0)]));
  const unassigned = new Map<string, { role: string; weeks: number[] }>();
  visitPlannedWeeks(input, (card, _project, week, centiHours) => {
    let target = card.assignee === undefined ? undefined : load.get(card.assignee);
    if (!target) {
      const key = roleKey(card.role);
      let demand = unassigned.get(key);
      if (!demand) {
        demand = { role: card.role.trim(), weeks: mondays.map(() => 0) };
        unassigned.set(key, demand);
      }
      target = demand.weeks;
    }
    target[week] += centiHours;
  });

  const weekIndex = new Map(weekDates.map((w, i) => [w, i]));
  const reactive = new Map(people.map((p) => [p.personId, mondays.map(() => 0)]));
  const byKind = Object.fromEntries(REACTIVE_KINDS.map((k) => [k, 0])) as Record<ReactiveKind, number>;
  for (const entry of input.team.reactive.values()) {
    const i = weekIndex.get(entry.weekOf);
    const perWeek = reactive.get(entry.personId);
    if (i === undefined || !perWeek) continue;
    perWeek[i] += entry.centiHours;
    byKind[entry.kind] += entry.centiHours;
  }
  const timeOff = new Map(people.map((p) => [p.personId, mondays.map(() => 0)]));
  for (const booking of input.team.timeOff.values()) {
    const perWeek = timeOff.get(booking.personId);
    if (booking.cancelledAt || !perWeek) continue;
    const from = dayNumber(booking.from);
    const to = dayNumber(booking.to);
    mondays.forEach((monday, i) => {
      perWeek[i] = Math.min(5, perWeek[i] + weekdaysIn(Math.max(from, monday), Math.min(to, monday + 4)));
    });
  }

  const personRows = people.map((person): PersonCapacity => {
    const weeks = weekDates.map((weekOf, i): PersonWeek => {
      const daysOff = timeOff.get(person.personId)![i];
      const reactiveCenti = reactive.get(person.personId)![i];
      const available = divideRoundHalfUp(person.weeklyCapacityCentiHours * (5 - daysOff), 5);
      const capacity = Math.max(0, available - reactiveCenti);
      const loadCenti = load.get(person.personId)![i];
      return {
        weekOf,
        capacityHours: hours(capacity),
        loadHours: hours(loadCenti),
        reactiveHours: hours(reactiveCenti),
        timeOffDays: daysOff,
        utilisation: utilisation(loadCenti, capacity),
        overAllocated: loadCenti > capacity,
      };
    });
    const sum = (pick: (w: PersonWeek) => number) => Math.round(weeks.reduce((s, w) => s + pick(w) * 100, 0));
    const capacity = sum((w) => w.capacityHours);
    const loadTotal = sum((w) => w.loadHours);
    return {
      personId: person.personId,
      name: person.name,
      role: person.role,
      weeks,
      totals: {
        capacityHours: hours(capacity),
        loadHours: hours(loadTotal),
        reactiveHours: hours(sum((w) => w.reactiveHours)),
        timeOffDays: weeks.reduce((s, w) => s + w.timeOffDays, 0),
        utilisation: utilisation(loadTotal, capacity),
        overAllocatedWeeks: weeks.filter((w) => w.overAllocated).length,
      },
    };
  });

  const perPerson = personRows.map((p) => ({ personId: p.personId, name: p.name, hours: p.totals.reactiveHours }));
  const totalReactive = REACTIVE_KINDS.reduce((s, k) => s + byKind[k], 0);
  return {
    from: weekDates[0],
    weeks: weekDates,
    people: personRows,
    unassigned: [...unassigned.values()]
      .sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0))
      .map(({ role, weeks }) => ({
        role,
        weeks: weeks.map((centi, i) => ({ weekOf: weekDates[i], hours: hours(centi) })),
        hours: hours(weeks.reduce((s, c) => s + c, 0)),
      })),
    reactive: {
      perPerson,
      byKind: Object.fromEntries(REACTIVE_KINDS.map((k) => [k, hours(byKind[k])])) as Record<ReactiveKind, number>,
      total: hours(totalReactive),
    },
  };
}

/** The cards behind one person's week: each with the hours planned for them that week, most first. */
export function capacityCell(input: CapacityInput, personId: string, weekOf: IsoDate) {
  const weekDates = planningWeeks(weekOf, 1);
  const cards = input.cards.filter((c) => c.assignee === personId);
  return planCards({ ...input, from: weekDates[0], weeks: 1, cards })
    .filter((p) => p.weeks[0] > 0)
    .sort((a, b) => b.weeks[0] - a.weeks[0])
    .map(({ card, project, end, weeks, remainingCentiHours: remaining, overdue }) => ({
      projectId: project.projectId,
      projectName: project.name,
      cardId: card.cardId,
      title: card.title,
      role: card.role,
      hours: hours(weeks[0]),
      remainingHours: hours(remaining),
      projectEnd: project.end,
      milestone: card.milestone ?? null,
      /** The date its hours are planned up to: its milestone's current date, else the project's end. */
      dueBy: end,
      overdue,
    }));
}

function utilisation(load: number, capacity: number): number | null {
  return capacity === 0 ? null : Math.round((load * 100) / capacity) / 100;
}
