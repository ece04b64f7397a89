import { canonicalTimeZone, IsoDate, isIsoDate } from '../shared/calendar';
import { conflict, invalid } from '../shared/domain-error';
import { isCurrencyCode, isMinor, lineCost, toCentiHours } from '../shared/money';
import { CommandOf } from './commands';
import { event, PricedScopeItem, ProjectEvent } from './events';
import { cardAdded } from './board';
import { ProjectState } from './state';
import { assessProductLines, productTotals } from './product-lines';

export function openProject(command: CommandOf<'OpenProject'>, state: ProjectState): ProjectEvent[] {
  if (state.exists) throw conflict('A project with this id already exists');
  if (!isCurrencyCode(command.currency))
    throw invalid('Currency must be the ISO 4217 code of a currency, such as USD', 'currency');
  const rates = checkedRates(command.rates);
  if (!isIsoDate(command.startDate)) throw invalid('Start date must be a calendar date (YYYY-MM-DD)', 'startDate');
  const timeZone = command.timeZone === undefined ? undefined : canonicalTimeZone(command.timeZone);
  if (timeZone === null) throw invalid('The time zone must be an IANA name such as Europe/Berlin', 'timeZone');
  return [
    event('ProjectOpened', {
      projectId: command.projectId,
      name: command.name,
      client: command.client,
      ...(command.manager ? { manager: command.manager } : {}),
      currency: command.currency,
      rates: Object.fromEntries(rates),
      startDate: command.startDate,
      holidays: checkedHolidays(command.holidays),
      ...(timeZone ? { timeZone } : {}),
      openedAt: command.now,
    }),
  ];
}

/** A rate card's roles and rates, checked: at least one role, each rate whole minor units. */
export function checkedRates(input: Record<string, number>): [string, number][] {
  const rates = Object.entries(input);
  if (rates.length === 0) throw invalid('The rate card needs at least one role', 'rates');
  for (const [role, rate] of rates) {
    if (!role.trim()) throw invalid('Role names must not be empty', 'rates');
    if (!isMinor(rate) || rate < 0)
      throw invalid(`Rate for ${role} must be a whole number of minor units, zero or more`, `rates.${role}`);
  }
  return rates;
}

/** Holidays checked as calendar dates, each once, in date order. */
export function checkedHolidays(holidays: readonly string[]): IsoDate[] {
  holidays.forEach((day, i) => {
    if (!isIsoDate(day)) throw invalid('Holidays must be calendar dates (YYYY-MM-DD)', `holidays[${i}]`);
  });
  return [...new Set(holidays)].sort();
}

export function establishBaseline(command: CommandOf<'EstablishBaseline'>, state: ProjectState): ProjectEvent[] {
  if (state.baseline.established)
    throw conflict('The baseline is already established; scope changes go through change requests');
  if (command.items.length === 0) throw invalid('A baseline needs at least one scope item', 'items');
  const refs = new Set<string>();
  const baselineMilestones = new Set(command.milestones.map((m) => m.ref));
  const items = command.items.map((input, i): PricedScopeItem => {
    if (refs.has(input.ref)) throw invalid(`Scope item ref ${input.ref} appears twice`, `items[${i}].ref`);
    refs.add(input.ref);
    const milestone = checkedItemMilestone(input.milestone, baselineMilestones, `items[${i}]`);
    return priceItem(state, { ...input, fixedCost: input.fixedCost ?? 0, milestone }, `items[${i}]`);
  });
  const milestoneRefs = new Set<string>();
  command.milestones.forEach((m, i) => {
    if (milestoneRefs.has(m.ref)) throw invalid(`Milestone ref ${m.ref} appears twice`, `milestones[${i}].ref`);
    milestoneRefs.add(m.ref);
    if (!isIsoDate(m.due)) throw invalid('Due date must be a calendar date (YYYY-MM-DD)', `milestones[${i}].due`);
    if (m.due < state.startDate)
      throw invalid(`Milestone ${m.ref} is due before the project starts (${state.startDate})`, `milestones[${i}].due`);
  });
  const products = assessProductLines(state, command.products ?? []);
  const { oneOff, monthly } = productTotals(products);
  const total = items.reduce((sum, item) => sum + item.cost, 0) + oneOff;
  const milestones = command.milestones.map(({ ref, name, due }) => ({ ref, name, due }));
  const baselineProducts = { ...(products.length > 0 ? { products } : {}), ...(monthly !== 0 ? { monthly } : {}) };
  return [
    event('BaselineEstablished', { items, milestones, total, ...baselineProducts, establishedAt: command.now }),
    ...items.map((item, i) => cardAdded(state.cards.size + i + 1, item, { kind: 'baseline' }, command.now)),
  ];
}

/** The milestone a scope item is due by: one of the project's milestones, or none (absent or null). */
export function checkedItemMilestone(
  milestone: string | null | undefined,
  milestones: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  field: string,
): string | undefined {
  if (milestone === undefined || milestone === null) return undefined;
  if (!milestones.has(milestone))
    throw invalid(`Milestone ${milestone} is not one of the project's milestones`, `${field}.milestone`);
  return milestone;
}

/** An item's cost at the project's rate for its role: hours × rate + fixed cost, checked. */
export function priceItem(
  state: ProjectState,
  input: { ref: string; title: string; role: string; hours: number; fixedCost: number; milestone?: string },
  field: string,
): PricedScopeItem {
  const { ref, title, role, fixedCost, milestone } = input;
  const rate = state.rates.get(role);
  if (rate === undefined) {
    const roles = [...state.rates.keys()].join(', ');
    throw invalid(`Role ${role} is not on the project's rate card (${roles})`, `${field}.role`);
  }
  const centiHours = toCentiHours(input.hours);
  if (centiHours === undefined || centiHours < 0)
    throw invalid('Hours must be zero or more with at most two decimals', `${field}.hours`);
  if (!isMinor(fixedCost) || fixedCost < 0)
    throw invalid('Fixed cost must be a whole number of minor units, zero or more', `${field}.fixedCost`);
  if (centiHours === 0 && fixedCost === 0) throw invalid('A scope item needs hours or a fixed cost', `${field}.hours`);
  const cost = lineCost(centiHours, rate, fixedCost);
  // Beyond the largest amount, sums of costs would no longer be exact.
  if (!isMinor(cost)) throw invalid('The item would cost more than the largest amount accepted', `${field}.hours`);
  return { ref, title, role, centiHours, fixedCost, rate, cost, ...(milestone ? { milestone } : {}) };
}
