import { calendarDateIn, IsoDate, isIsoDate } from '../shared/calendar';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { formatMoney, isMinor, Minor, sumMinor } from '../shared/money';
import { CommandOf } from './commands';
import { event, ProjectEvent } from './events';
import { orderNumber, requireOrder } from './rules';
import { BaselineInvoiceState, ChangeOrderState, InvoiceState, ProjectState } from './state';

/**
 * Invoices settle what a client signed. An order that bills the client is settled by invoices (positive
 * amounts); a credit order (negative amount) by credit notes (negative amounts); a no-charge order needs
 * neither. Voided invoices stay on record, count for nothing, and keep their number taken in the project.
 */

export function recordInvoice(command: CommandOf<'RecordInvoice'>, state: ProjectState): ProjectEvent[] {
  const { amount, now } = command;
  const order = requireOrder(state, command.changeOrderId);
  if (order.status !== 'signed')
    throw conflict(`${orderNumber(order)} is ${order.status}; only signed orders are invoiced`);
  const invoiceNumber = checkedInvoiceNumber(command.invoiceNumber);
  if (!isMinor(amount) || amount === 0)
    throw invalid('Amount must be a whole number of minor units other than zero', 'amount');
  requireMatchingSign(order, amount);
  requireUnusedNumber(state, invoiceNumber);
  requireWithinRemainder(order, amount, state.currency);
  const invoiceDate = command.invoiceDate ?? calendarDateIn(now, state.timeZone);
  requireInvoiceDate(invoiceDate, now, state.timeZone);
  const signedOn = calendarDateIn(order.signature!.signedAt, state.timeZone);
  if (invoiceDate < signedOn)
    throw invalid(
      `Invoice date ${invoiceDate} is before ${orderNumber(order)} was signed on ${signedOn}`,
      'invoiceDate',
    );
  return [event('InvoiceRecorded', { changeOrderId: order.id, invoiceNumber, amount, invoiceDate, invoicedAt: now })];
}

export function voidInvoice(command: CommandOf<'VoidInvoice'>, state: ProjectState): ProjectEvent[] {
  const order = requireOrder(state, command.changeOrderId);
  const invoice = order.invoices.find((i) => i.invoiceNumber === command.invoiceNumber);
  if (!invoice) throw notFound(`Invoice ${command.invoiceNumber} is not recorded against ${orderNumber(order)}`);
  if (invoice.voided)
    throw conflict(`Invoice ${invoice.invoiceNumber} was already voided on ${invoice.voided.voidedAt.slice(0, 10)}`);
  const reason = command.reason.trim();
  if (!reason) throw invalid('Say why the invoice is voided', 'reason');
  const { invoiceNumber } = invoice;
  return [event('InvoiceVoided', { changeOrderId: order.id, invoiceNumber, reason, voidedAt: command.now })];
}

/**
 * Finance bills the baseline contract too, as a whole or milestone by milestone: positive invoices, never beyond
 * what of the baseline is not yet invoiced, each number used once in the project.
 */
export function recordBaselineInvoice(
  command: CommandOf<'RecordBaselineInvoice'>,
  state: ProjectState,
): ProjectEvent[] {
  const { amount, now } = command;
  if (!state.baseline.established) throw conflict('The project has no baseline yet: there is nothing to invoice');
  const invoiceNumber = checkedInvoiceNumber(command.invoiceNumber);
  if (!isMinor(amount) || amount <= 0)
    throw invalid('Amount must be a whole number of minor units above zero', 'amount');
  const milestone = command.milestone?.trim() || undefined;
  if (milestone !== undefined && !state.milestones.has(milestone)) {
    const known = [...state.milestones.keys()].join(', ') || 'none';
    throw invalid(`The baseline has no milestone ${milestone} (milestones: ${known})`, 'milestone');
  }
  requireUnusedNumber(state, invoiceNumber);
  const remaining = state.baseline.total - baselineInvoiced(state);
  if (amount > remaining) {
    const left = formatMoney(remaining, state.currency);
    throw conflict(`Invoice exceeds the baseline contract: ${left} of it remains uninvoiced`);
  }
  const invoiceDate = command.invoiceDate ?? calendarDateIn(now, state.timeZone);
  requireInvoiceDate(invoiceDate, now, state.timeZone);
  return [
    event('BaselineInvoiceRecorded', {
      invoiceNumber,
      amount,
      invoiceDate,
      ...(milestone ? { milestone } : {}),
      invoicedAt: now,
    }),
  ];
}

export function voidBaselineInvoice(command: CommandOf<'VoidBaselineInvoice'>, state: ProjectState): ProjectEvent[] {
  const invoice = baselineInvoicesOf(state).find((i) => i.invoiceNumber === command.invoiceNumber);
  if (!invoice) throw notFound(`Invoice ${command.invoiceNumber} is not recorded against the baseline contract`);
  if (invoice.voided)
    throw conflict(`Invoice ${invoice.invoiceNumber} was already voided on ${invoice.voided.voidedAt.slice(0, 10)}`);
  const reason = command.reason.trim();
  if (!reason) throw invalid('Say why the invoice is voided', 'reason');
  const { invoiceNumber } = invoice;
  return [event('BaselineInvoiceVoided', { invoiceNumber, reason, voidedAt: command.now })];
}

/** Invoices against the baseline contract, voided ones included. */
export function baselineInvoicesOf(state: Pick<ProjectState, 'baselineInvoices'>): readonly BaselineInvoiceState[] {
  return state.baselineInvoices ?? [];
}

/** What of the baseline contract was invoiced: its invoices that are not voided. */
export function baselineInvoiced(state: Pick<ProjectState, 'baselineInvoices'>): Minor {
  return sumMinor(
    baselineInvoicesOf(state)
      .filter((i) => !i.voided)
      .map((i) => i.amount),
  );
}

/** The number as typed, trimmed; invisible characters (zero-width spaces, joiners) would hide a duplicate. */
function checkedInvoiceNumber(typed: string): string {
  const invoiceNumber = typed.trim();
  if (!invoiceNumber) throw invalid('Give the invoice number', 'invoiceNumber');
  if (/[\p{Cf}\p{Cc}]/u.test(invoiceNumber))
    throw invalid('The invoice number contains an invisible character: type it again', 'invoiceNumber');
  return invoiceNumber;
}

/** What makes two numbers the same to a bookkeeper: letter case, compatibility forms and dash look-alikes aside. */
function invoiceNumberKey(invoiceNumber: string): string {
  return invoiceNumber
    .normalize('NFKC')
    .replace(/\p{Pd}/gu, '-')
    .toLowerCase();
}

/**
 * An invoice number is used once in a project, on its orders and its baseline alike: a bookkeeping system
 * takes "inv-1001" for "INV-1001", and a voided invoice keeps its number.
 */
function requireUnusedNumber(state: ProjectState, invoiceNumber: string): void {
  const key = invoiceNumberKey(invoiceNumber);
  const same = (i: { invoiceNumber: string }) => invoiceNumberKey(i.invoiceNumber) === key;
  const onBaseline = baselineInvoicesOf(state).find(same);
  if (onBaseline)
    throw conflict(`Invoice ${onBaseline.invoiceNumber} is already recorded against the baseline contract`);
  for (const order of state.changeOrders.values()) {
    const used = order.invoices.find(same);
    if (used) throw conflict(`Invoice ${used.invoiceNumber} is already recorded against ${orderNumber(order)}`);
  }
}

/** An order that bills takes invoices, a credit order credit notes, a no-charge order nothing. */
function requireMatchingSign(order: ChangeOrderState, amount: number): void {
  if (order.amount === 0) throw conflict(`${orderNumber(order)} is a no-charge order: it needs no invoice`);
  if (order.amount < 0 && amount > 0)
    throw invalid(`${orderNumber(order)} credits the client: record a credit note (a negative amount)`, 'amount');
  if (order.amount > 0 && amount < 0)
    throw invalid(`${orderNumber(order)} bills the client: a credit note settles only a credit order`, 'amount');
}

/** Never beyond the order's value in magnitude, counting what is already invoiced or credited. */
function requireWithinRemainder(order: ChangeOrderState, amount: number, currency: string): void {
  const remaining = order.amount - order.invoiced;
  if (Math.abs(amount) <= Math.abs(remaining)) return;
  const left = formatMoney(Math.abs(remaining), currency);
  if (order.amount < 0)
    throw conflict(`Credit note exceeds the credit of ${orderNumber(order)}: ${left} remains uncredited`);
  throw conflict(`Invoice exceeds the signed value of ${orderNumber(order)}: ${left} remains uninvoiced`);
}

/** UTC+14 (Kiribati), where each calendar day begins first. */
const LATEST_ZONE_OFFSET_MS = 14 * 3_600_000;

/**
 * A calendar date no later than today: the project's today when it has a time zone, as time logging judges it.
 * Without one, today is taken where it is latest on earth (UTC+14), so an invoice dated today is accepted
 * wherever finance sits, and one dated tomorrow everywhere is not.
 */
function requireInvoiceDate(invoiceDate: IsoDate, now: string, timeZone: string | undefined): void {
  if (!isIsoDate(invoiceDate)) throw invalid('Invoice date must be a calendar date (YYYY-MM-DD)', 'invoiceDate');
  const today = timeZone
    ? calendarDateIn(now, timeZone)
    : new Date(Date.parse(now) + LATEST_ZONE_OFFSET_MS).toISOString().slice(0, 10);
  if (invoiceDate > today) {
    const where = timeZone ? ` (today is ${today} in ${timeZone})` : '';
    throw invalid(`Invoice date ${invoiceDate} is in the future${where}`, 'invoiceDate');
  }
}

/** The invoice's date: as recorded, or the day it was recorded for invoices from before dates were kept. */
export function invoiceDateOf(invoice: Pick<InvoiceState, 'invoiceDate' | 'invoicedAt'>): IsoDate {
  return invoice.invoiceDate ?? invoice.invoicedAt.slice(0, 10);
}

/** An invoice or a credit note (its amount is negative). */
export function invoiceKind(invoice: Pick<InvoiceState, 'amount'>): 'invoice' | 'credit_note' {
  return invoice.amount < 0 ? 'credit_note' : 'invoice';
}
