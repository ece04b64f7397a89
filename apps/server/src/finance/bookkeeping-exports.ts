import {
  addCalendarDays,
  decimalAmount,
  formatHours,
  IsoDate,
  Minor,
  OrderLine,
  orderNumber,
  OrderProductLine,
  PricedScopeItem,
} from '@scope-ledger/domain';
import { toCsv } from './csv';

/**
 * Invoice import files for QuickBooks Online and Xero: one draft invoice per signed change order
 * that still has something to bill, one invoice line per order line and one-off product line; and each invoice recorded
 * against a baseline contract, with its own number and date, on one line. Layouts and sources are in
 * docs/operations.md ("Importing into QuickBooks Online or Xero").
 */

/** A signed order as the finance read model gives it, with its lines. */
export interface UninvoicedOrder {
  readonly projectId: string;
  readonly projectName: string;
  readonly client: string;
  readonly currency: string;
  readonly number: number;
  readonly revision?: number;
  readonly signedAt: string;
  readonly signedBy: string;
  readonly amount: Minor;
  readonly invoiced: Minor;
  readonly lines: readonly OrderLine[];
  /** Catalogue products and licences the order changes; absent: none. */
  readonly products?: readonly OrderProductLine[];
}

/** An invoice finance recorded against a project's baseline contract, exported as recorded: number, date, amount. */
export interface RecordedBaselineInvoice {
  readonly projectName: string;
  readonly client: string;
  readonly currency: string;
  readonly invoiceNumber: string;
  readonly amount: Minor;
  readonly invoiceDate: IsoDate;
  readonly milestone?: string;
}

export const DATE_FORMATS = ['iso', 'us', 'uk'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

export interface InvoiceTerms {
  readonly invoiceDate: IsoDate;
  /** Calendar days from the invoice date to the due date. */
  readonly dueInDays: number;
  readonly dateFormat: DateFormat;
}

export interface XeroTerms extends InvoiceTerms {
  readonly accountCode: string;
  readonly taxType: string;
}

/** One line of a proposed invoice: quantity as typed ("7.50" hours, or "1"), amounts in minor units. */
export interface InvoiceLine {
  readonly description: string;
  readonly quantity: string;
  readonly unitAmount: Minor;
  readonly amount: Minor;
}

export const QUICKBOOKS_COLUMNS = [
  'InvoiceNo',
  'Customer',
  'InvoiceDate',
  'DueDate',
  'Terms',
  'Location',
  'Memo',
  'Item(Product/Service)',
  'ItemDescription',
  'ItemQuantity',
  'ItemRate',
  'ItemAmount',
  'Taxable',
  'TaxRate',
  'Service Date',
];

export const XERO_COLUMNS = [
  '*ContactName',
  'EmailAddress',
  'POAddressLine1',
  'POAddressLine2',
  'POAddressLine3',
  'POAddressLine4',
  'POCity',
  'PORegion',
  'POPostalCode',
  'POCountry',
  '*InvoiceNumber',
  'Reference',
  '*InvoiceDate',
  '*DueDate',
  'Total',
  'InventoryItemCode',
  '*Description',
  '*Quantity',
  '*UnitAmount',
  'Discount',
  '*AccountCode',
  '*TaxType',
  'TaxAmount',
  'TrackingName1',
  'TrackingOption1',
  'TrackingName2',
  'TrackingOption2',
  'Currency',
  'BrandingTheme',
];

export function uninvoiced(order: Pick<UninvoicedOrder, 'amount' | 'invoiced'>): Minor {
  return order.amount - order.invoiced;
}

/**
 * A proposed invoice number, "CO-3-1A2B3C4D": the order's number and the first eight characters of
 * its project's id, so orders numbered alike in different projects differ. Fits QuickBooks' 21 characters.
 */
export function proposedInvoiceNumber(order: Pick<UninvoicedOrder, 'number' | 'projectId'>): string {
  return `CO-${order.number}-${order.projectId.slice(0, 8).toUpperCase()}`;
}

export function formatDate(date: IsoDate, format: DateFormat): string {
  const [year, month, day] = date.split('-');
  if (format === 'us') return `${month}/${day}/${year}`;
  if (format === 'uk') return `${day}/${month}/${year}`;
  return date;
}

/**
 * The lines that bill what is left of an order; they add up exactly to its uninvoiced amount: the scope
 * lines, then the one-off products. Monthly products are not in the order's one-off amount: the recurring
 * charge is billed apart (the finance list's `monthly`), so it has no line here.
 * An order invoiced in part is billed as one "Remaining of CO-n" line: which lines the earlier
 * invoices covered is not on record.
 */
export function invoiceLines(order: UninvoicedOrder): InvoiceLine[] {
  const remaining = uninvoiced(order);
  const single = (description: string) => [{ description, quantity: '1', unitAmount: remaining, amount: remaining }];
  if (order.invoiced !== 0) return single(`Remaining of ${orderNumber(order)}`);
  const lines = [
    ...order.lines.flatMap(linesOf),
    ...(order.products ?? []).filter((p) => p.product.billing === 'one_off').map(productLineOf),
  ];
  // Never an invoice whose lines disagree with what was signed: then the order is billed on one line.
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  return total === remaining ? lines : single(`${orderNumber(order)} as signed`);
}

/**
 * A one-off product line: units added at the unit price agreed; fewer units or a removal as one line of the
 * negative amount, as removed hours are, so the accounting system sees no negative quantity.
 */
function productLineOf(line: OrderProductLine): InvoiceLine {
  const name = `${line.sku} ${line.product.name}`;
  const units = line.quantity - line.quantityBefore;
  const count = `${Math.abs(units)} ${Math.abs(units) === 1 ? 'unit' : 'units'}`;
  const change = line.op === 'modify' ? `${line.quantityBefore} to ${line.quantity} units` : '';
  if (line.noCharge) {
    const detail = line.op === 'remove' ? 'removed, no charge' : `no charge, ${change || count}`;
    return { description: `${name}: ${detail}`, quantity: '1', unitAmount: 0, amount: 0 };
  }
  if (units > 0) {
    const description = change ? `${name}: ${change}` : name;
    return { description, quantity: String(units), unitAmount: line.product.unitPrice, amount: line.amount };
  }
  const detail = line.op === 'remove' ? `removed, ${count}` : change;
  return { description: `${name}: ${detail}`, quantity: '1', unitAmount: line.amount, amount: line.amount };
}

/** One order line as invoice lines: the hours at the role's rate, and the fixed cost on a line of its own. */
function linesOf(line: OrderLine): InvoiceLine[] {
  const name = `${line.ref} ${line.item.title}`;
  if (line.noCharge) {
    const detail = line.op === 'remove' ? 'removed, no charge' : `no charge, ${hoursText(line.centiHoursDelta)}`;
    return [{ description: `${name}: ${detail}`, quantity: '1', unitAmount: 0, amount: 0 }];
  }
  const after = line.op === 'remove' ? undefined : line.item;
  const before = line.op === 'add' ? undefined : (line.before ?? line.item);
  const fixedDelta = (after?.fixedCost ?? 0) - (before?.fixedCost ?? 0);
  const lines: InvoiceLine[] = [];
  const hours = hoursLine(line, name, after, before, line.amount - fixedDelta);
  if (hours) lines.push(hours);
  if (fixedDelta !== 0) {
    lines.push({ description: `${name}: fixed cost`, quantity: '1', unitAmount: fixedDelta, amount: fixedDelta });
  }
  return lines;
}

/**
 * The hours of a line at the role's rate. When hours times rate is not exactly the rounded amount
 * signed (or the rate changed), it is quantity 1 at that amount with the hours in the description,
 * so the accounting system cannot multiply its way to another total.
 */
function hoursLine(
  line: OrderLine,
  name: string,
  after: PricedScopeItem | undefined,
  before: PricedScopeItem | undefined,
  amount: Minor,
): InvoiceLine | undefined {
  if (line.centiHoursDelta === 0 && amount === 0) return undefined;
  const rate = (after ?? before)!.rate;
  const sameRate = !after || !before || after.rate === before.rate;
  const exact = sameRate && line.centiHoursDelta * rate === amount * 100;
  const details =
    line.op === 'modify'
      ? [`${formatHours(before!.centiHours)} h to ${formatHours(after!.centiHours)} h`]
      : [line.op === 'remove' ? 'removed' : '', exact ? '' : hoursText(line.centiHoursDelta)];
  const description = [name, details.filter(Boolean).join(', ')].filter(Boolean).join(': ');
  return exact
    ? { description, quantity: formatHours(line.centiHoursDelta), unitAmount: rate, amount }
    : { description, quantity: '1', unitAmount: amount, amount };
}

function hoursText(centiHours: number): string {
  return `${formatHours(Math.abs(centiHours))} h`;
}

/** Orders with a positive amount left to bill, in the order given. */
function billable(orders: readonly UninvoicedOrder[]): UninvoicedOrder[] {
  return orders.filter((o) => uninvoiced(o) > 0);
}

function dates(terms: InvoiceTerms) {
  return {
    invoiceDate: formatDate(terms.invoiceDate, terms.dateFormat),
    dueDate: formatDate(addCalendarDays(terms.invoiceDate, terms.dueInDays), terms.dateFormat),
  };
}

function memo(order: UninvoicedOrder): string {
  return `${orderNumber(order)} ${order.projectName}, signed by ${order.signedBy} on ${order.signedAt.slice(0, 10)}`;
}

/** What a baseline invoice bills: "Milestone M1 of Harbour network" or "Baseline contract of Harbour network". */
function baselineDescription(invoice: RecordedBaselineInvoice): string {
  return invoice.milestone
    ? `Milestone ${invoice.milestone} of ${invoice.projectName}`
    : `Baseline contract of ${invoice.projectName}`;
}

/** A baseline invoice keeps its own date; its due date counts from it. */
function baselineDates(invoice: RecordedBaselineInvoice, terms: InvoiceTerms) {
  return dates({ ...terms, invoiceDate: invoice.invoiceDate });
}

/** Rows in QuickBooks Online's invoice import layout; tax columns are left for the bookkeeper. */
export function quickBooksRows(
  orders: readonly UninvoicedOrder[],
  terms: InvoiceTerms,
  baselineInvoices: readonly RecordedBaselineInvoice[] = [],
): Record<string, unknown>[] {
  const { invoiceDate, dueDate } = dates(terms);
  const baselineRows = baselineInvoices.map((invoice) => {
    const money = (amount: Minor) => decimalAmount(amount, invoice.currency);
    const description = baselineDescription(invoice);
    const dated = baselineDates(invoice, terms);
    return {
      InvoiceNo: invoice.invoiceNumber,
      Customer: invoice.client,
      InvoiceDate: dated.invoiceDate,
      DueDate: dated.dueDate,
      Memo: description,
      ItemDescription: description,
      ItemQuantity: '1',
      ItemRate: money(invoice.amount),
      ItemAmount: money(invoice.amount),
    };
  });
  return baselineRows.concat(
    billable(orders).flatMap((order) => {
      const money = (amount: Minor) => decimalAmount(amount, order.currency);
      return invoiceLines(order).map((line) => ({
        InvoiceNo: proposedInvoiceNumber(order),
        Customer: order.client,
        InvoiceDate: invoiceDate,
        DueDate: dueDate,
        Memo: memo(order),
        ItemDescription: line.description,
        ItemQuantity: line.quantity,
        ItemRate: money(line.unitAmount),
        ItemAmount: money(line.amount),
      }));
    }),
  );
}

/** Rows in Xero's sales invoice import template; Xero works out the totals and tax itself. */
export function xeroRows(
  orders: readonly UninvoicedOrder[],
  terms: XeroTerms,
  baselineInvoices: readonly RecordedBaselineInvoice[] = [],
): Record<string, unknown>[] {
  const { invoiceDate, dueDate } = dates(terms);
  const baselineRows = baselineInvoices.map((invoice) => {
    const dated = baselineDates(invoice, terms);
    return {
      '*ContactName': invoice.client,
      '*InvoiceNumber': invoice.invoiceNumber,
      Reference: baselineDescription(invoice),
      '*InvoiceDate': dated.invoiceDate,
      '*DueDate': dated.dueDate,
      '*Description': baselineDescription(invoice),
      '*Quantity': '1',
      '*UnitAmount': decimalAmount(invoice.amount, invoice.currency),
      '*AccountCode': terms.accountCode,
      '*TaxType': terms.taxType,
      Currency: invoice.currency,
    };
  });
  const orderRows = billable(orders).flatMap((order) =>
    invoiceLines(order).map((line) => ({
      '*ContactName': order.client,
      '*InvoiceNumber': proposedInvoiceNumber(order),
      Reference: `${orderNumber(order)} ${order.projectName}`,
      '*InvoiceDate': invoiceDate,
      '*DueDate': dueDate,
      '*Description': line.description,
      '*Quantity': line.quantity,
      '*UnitAmount': decimalAmount(line.unitAmount, order.currency),
      '*AccountCode': terms.accountCode,
      '*TaxType': terms.taxType,
      Currency: order.currency,
    })),
  );
  return [...baselineRows, ...orderRows];
}

export function quickBooksCsv(
  orders: readonly UninvoicedOrder[],
  terms: InvoiceTerms,
  baselineInvoices: readonly RecordedBaselineInvoice[] = [],
): string {
  return toCsv(QUICKBOOKS_COLUMNS, quickBooksRows(orders, terms, baselineInvoices));
}

export function xeroCsv(
  orders: readonly UninvoicedOrder[],
  terms: XeroTerms,
  baselineInvoices: readonly RecordedBaselineInvoice[] = [],
): string {
  return toCsv(XERO_COLUMNS, xeroRows(orders, terms, baselineInvoices));
}
