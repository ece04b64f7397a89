import { CommandOf } from './commands';
import { event, ProjectEvent } from './events';
import { given } from '../testing/decider-specification';
import {
  ADD_SI_5,
  assessed,
  BASELINE_TOTAL,
  cardAdded,
  cardCancelled,
  CO_1,
  CO_1_AMOUNT,
  CO_2,
  CR_3,
  CR_4,
  onOrder,
  orderDrafted,
  orderIssued,
  orderSigned,
  REMOVE_SI_3,
  SI_5,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const NOW = '2026-03-31T12:00:00.000Z';
const TODAY = '2026-03-31';

const recordInvoice = (
  invoiceNumber: string,
  amount: number,
  options: { changeOrderId?: string; invoiceDate?: string; now?: string } = {},
): CommandOf<'RecordInvoice'> => ({
  type: 'RecordInvoice',
  now: options.now ?? NOW,
  changeOrderId: options.changeOrderId ?? CO_1,
  invoiceNumber,
  amount,
  ...(options.invoiceDate ? { invoiceDate: options.invoiceDate } : {}),
});

const invoiced = (invoiceNumber: string, amount: number, invoiceDate = TODAY, changeOrderId = CO_1) =>
  event('InvoiceRecorded', { changeOrderId, invoiceNumber, amount, invoiceDate, invoicedAt: NOW });

const voided = (invoiceNumber: string, changeOrderId = CO_1) =>
  event('InvoiceVoided', { changeOrderId, invoiceNumber, reason: 'Wrong amount', voidedAt: NOW });

// CO-1 removes SI-3 and credits the client 180,000.
const creditSigned: ProjectEvent[] = [
  ...assessed,
  orderDrafted(CO_1, 1, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 3)], { amount: -180_000 }),
  orderIssued(CO_1, { originalContract: 749_500, previouslyApproved: 0 }),
  orderSigned(CO_1),
  cardCancelled('C-3', CO_1),
];

// CO-1 adds SI-5 as goodwill: it is worth nothing to invoice.
const noChargeSigned: ProjectEvent[] = [
  ...assessed,
  orderDrafted(CO_1, 1, [CR_4], [onOrder(ADD_SI_5, CR_4, 4, true)], { amount: 0, absorbed: 14_325 }),
  orderIssued(CO_1, { originalContract: 749_500, previouslyApproved: 0 }),
  orderSigned(CO_1),
  cardAdded(4, SI_5, CO_1),
];

// CO-1 is signed for 117,000 + 78,788 = 195,788
describe('recording an invoice against a change order', () => {
  it('records part of the signed value, dated today unless told otherwise', () => {
    const after = given(withSignedOrder)
      .when(recordInvoice('INV-2026-031', 100_000))
      .then([invoiced('INV-2026-031', 100_000)]);
    expect(after.changeOrders.get(CO_1)?.invoiced).toBe(100_000);
  });

  it('keeps the invoice date finance gives', () => {
    given(withSignedOrder)
      .when(recordInvoice('INV-2026-031', 100_000, { invoiceDate: '2026-03-15' }))
      .then([invoiced('INV-2026-031', 100_000, '2026-03-15')]);
  });

  it('takes today where the day is latest, but not a day beyond it', () => {
    // 11:00 UTC is already the next day at UTC+14.
    const late = { now: '2026-03-31T11:00:00.000Z' };
    given(withSignedOrder)
      .when(recordInvoice('INV-1', 1_000, { ...late, invoiceDate: '2026-04-01' }))
      .then([
        {
          ...invoiced('INV-1', 1_000, '2026-04-01'),
          data: { ...invoiced('INV-1', 1_000, '2026-04-01').data, invoicedAt: late.now },
        },
      ]);
    given(withSignedOrder)
      .when(recordInvoice('INV-1', 1_000, { ...late, invoiceDate: '2026-04-02' }))
      .thenThrows('invalid', 'Invoice date 2026-04-02 is in the future', 'invoiceDate');
  });

  it.each(['31/03/2026', '2026-02-30', ''])('is refused for an invoice date of %p', (invoiceDate) => {
    given(withSignedOrder)
      .when({ ...recordInvoice('INV-1', 1_000), invoiceDate })
      .thenThrows('invalid', 'calendar date', 'invoiceDate');
  });

  it('records the rest exactly', () => {
    // 195,788 - 100,000 = 95,788 remain
    const after = given([...withSignedOrder, invoiced('INV-2026-031', 100_000)])
      .when(recordInvoice('INV-2026-047', 95_788))
      .then([invoiced('INV-2026-047', 95_788)]);
    expect(after.changeOrders.get(CO_1)?.invoiced).toBe(195_788);
  });

  it('is refused beyond what remains uninvoiced', () => {
    given([...withSignedOrder, invoiced('INV-2026-031', 100_000)])
      .when(recordInvoice('INV-2026-047', 95_789))
      .thenThrows('conflict', 'Invoice exceeds the signed value of CO-1: USD 957.88 remains uninvoiced');
  });

  it('is refused beyond the whole signed value in one invoice', () => {
    given(withSignedOrder)
      .when(recordInvoice('INV-2026-031', 195_789))
      .thenThrows('conflict', 'exceeds the signed value of CO-1');
  });

  it('counts a voided invoice for nothing, so the whole value can be invoiced again', () => {
    const after = given([...withSignedOrder, invoiced('INV-1', 195_788), voided('INV-1')])
      .when(recordInvoice('INV-2', 195_788))
      .then([invoiced('INV-2', 195_788)]);
    expect(after.changeOrders.get(CO_1)?.invoiced).toBe(195_788);
  });

  it('is refused when the invoice number is already recorded against the order', () => {
    given([...withSignedOrder, invoiced('INV-2026-031', 100_000)])
      .when(recordInvoice('INV-2026-031', 1_000))
      .thenThrows('conflict', 'Invoice INV-2026-031 is already recorded against CO-1');
  });

  it('keeps a voided invoice number taken on the order', () => {
    given([...withSignedOrder, invoiced('INV-1', 1_000), voided('INV-1')])
      .when(recordInvoice('INV-1', 1_000))
      .thenThrows('conflict', 'Invoice INV-1 is already recorded against CO-1');
  });

  it('is refused for an order that is not signed', () => {
    given(withIssuedOrder)
      .when(recordInvoice('INV-2026-031', 1_000))
      .thenThrows('conflict', 'CO-1 is issued; only signed orders are invoiced');
  });

  it.each([0, 10.5])('is refused for an amount of %p', (amount) => {
    given(withSignedOrder)
      .when(recordInvoice('INV-2026-031', amount))
      .thenThrows('invalid', 'whole number of minor units other than zero', 'amount');
  });

  it('is refused as a credit note against an order that bills the client', () => {
    given(withSignedOrder)
      .when(recordInvoice('CN-1', -500))
      .thenThrows('invalid', 'CO-1 bills the client: a credit note settles only a credit order', 'amount');
  });

  it('is refused without an invoice number', () => {
    given(withSignedOrder).when(recordInvoice('  ', 1_000)).thenThrows('invalid', 'invoice number', 'invoiceNumber');
  });

  it('is refused for an order that does not exist', () => {
    given(withSignedOrder)
      .when(recordInvoice('INV-2026-031', 1_000, { changeOrderId: CO_2 }))
      .thenThrows('not_found');
  });
});

// CO-2 removes SI-3 and credits the client 180,000; it is signed after CO-1.
const withTwoSignedOrders: ProjectEvent[] = [
  ...withSignedOrder,
  orderDrafted(CO_2, 2, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 3)], {
    amount: -180_000,
    draftedAt: '2026-03-10T09:00:00.000Z',
  }),
  orderIssued(CO_2, {
    originalContract: BASELINE_TOTAL,
    previouslyApproved: CO_1_AMOUNT,
    issuedAt: '2026-03-10T10:00:00.000Z',
    expiresAt: '2026-03-24T10:00:00.000Z',
  }),
  orderSigned(CO_2, '2026-03-11T15:00:00.000Z'),
  cardCancelled('C-3', CO_2, '2026-03-11T15:00:00.000Z'),
];

describe('invoice numbers across the project', () => {
  it('refuses a number already used on another order, in any case, naming that order', () => {
    given([...withTwoSignedOrders, invoiced('INV-1001', 1_000)])
      .when(recordInvoice('inv-1001', -1_000, { changeOrderId: CO_2 }))
      .thenThrows('conflict', 'Invoice INV-1001 is already recorded against CO-1');
  });

  it('takes a dash look-alike for a dash, and refuses invisible characters that would hide a duplicate', () => {
    given([...withTwoSignedOrders, invoiced('INV-1001', 1_000)])
      .when(recordInvoice('INV\u20111001', -1_000, { changeOrderId: CO_2 }))
      .thenThrows('conflict', 'Invoice INV-1001 is already recorded against CO-1');
    given([...withTwoSignedOrders, invoiced('INV-1001', 1_000)])
      .when(recordInvoice('INV-1001\u200b', -1_000, { changeOrderId: CO_2 }))
      .thenThrows('invalid', 'invisible character', 'invoiceNumber');
    given([...withTwoSignedOrders, invoiced('INV-1001', 1_000)])
      .when(recordInvoice('\u200bINV-1001', -1_000, { changeOrderId: CO_2 }))
      .thenThrows('invalid', 'invisible character', 'invoiceNumber');
  });

  it('keeps the number of a voided invoice on another order taken', () => {
    given([...withTwoSignedOrders, invoiced('INV-1001', 1_000), voided('INV-1001')])
      .when(recordInvoice('INV-1001', -1_000, { changeOrderId: CO_2 }))
      .thenThrows('conflict', 'Invoice INV-1001 is already recorded against CO-1');
  });

  it('refuses a number used on the baseline contract, in any case', () => {
    const baselineInvoice = event('BaselineInvoiceRecorded', {
      invoiceNumber: 'INV-100',
      amount: 300_000,
      invoiceDate: TODAY,
      invoicedAt: NOW,
    });
    given([...withSignedOrder, baselineInvoice])
      .when(recordInvoice('Inv-100', 1_000))
      .thenThrows('conflict', 'Invoice INV-100 is already recorded against the baseline contract');
  });

  it('records a number used nowhere else in the project', () => {
    given([...withTwoSignedOrders, invoiced('INV-1001', 1_000)])
      .when(recordInvoice('CN-1002', -1_000, { changeOrderId: CO_2 }))
      .then([invoiced('CN-1002', -1_000, TODAY, CO_2)]);
  });
});

describe("an invoice's date in the project's time zone", () => {
  const inLosAngeles = event('ProjectTimeZoneChanged', {
    timeZone: 'America/Los_Angeles',
    changedAt: '2026-03-02T09:00:00.000Z',
  });
  // 2026-03-31T20:00Z is 13:00 on 31 March in Los Angeles (UTC-7) and already 1 April in UTC.
  const evening = { now: '2026-03-31T20:00:00.000Z' };

  it("refuses a date after the project's today, though it is today further east", () => {
    given([...withSignedOrder, inLosAngeles])
      .when(recordInvoice('INV-1', 1_000, { ...evening, invoiceDate: '2026-04-01' }))
      .thenThrows(
        'invalid',
        'Invoice date 2026-04-01 is in the future (today is 2026-03-31 in America/Los_Angeles)',
        'invoiceDate',
      );
  });

  it("dates it the project's today when left out", () => {
    const recorded = event('InvoiceRecorded', {
      changeOrderId: CO_1,
      invoiceNumber: 'INV-1',
      amount: 1_000,
      invoiceDate: '2026-03-31',
      invoicedAt: evening.now,
    });
    given([...withSignedOrder, inLosAngeles])
      .when(recordInvoice('INV-1', 1_000, evening))
      .then([recorded]);
  });

  it('refuses a date before the order was signed, on the day of signing in the project', () => {
    // CO-1 was signed at 2026-03-09T14:00Z: 07:00 on 9 March in Los Angeles.
    given([...withSignedOrder, inLosAngeles])
      .when(recordInvoice('INV-1', 1_000, { invoiceDate: '2026-03-08' }))
      .thenThrows('invalid', 'Invoice date 2026-03-08 is before CO-1 was signed on 2026-03-09', 'invoiceDate');
    given(withSignedOrder)
      .when(recordInvoice('INV-1', 1_000, { invoiceDate: '2020-01-01' }))
      .thenThrows('invalid', 'Invoice date 2020-01-01 is before CO-1 was signed on 2026-03-09', 'invoiceDate');
    given([...withSignedOrder, inLosAngeles])
      .when(recordInvoice('INV-1', 1_000, { invoiceDate: '2026-03-09' }))
      .then([invoiced('INV-1', 1_000, '2026-03-09')]);
  });
});

describe('settling a credit order with credit notes', () => {
  it('records a credit note as a negative amount, and the whole credit settles the order', () => {
    const part = given(creditSigned)
      .when(recordInvoice('CN-1', -80_000))
      .then([invoiced('CN-1', -80_000)]);
    expect(part.changeOrders.get(CO_1)?.invoiced).toBe(-80_000);
    const settled = given([...creditSigned, invoiced('CN-1', -80_000)])
      .when(recordInvoice('CN-2', -100_000))
      .then([invoiced('CN-2', -100_000)]);
    const order = settled.changeOrders.get(CO_1)!;
    expect(order.amount - order.invoiced).toBe(0);
  });

  it('is refused beyond the credit in magnitude', () => {
    given([...creditSigned, invoiced('CN-1', -80_000)])
      .when(recordInvoice('CN-2', -100_001))
      .thenThrows('conflict', 'Credit note exceeds the credit of CO-1: USD 1,000.00 remains uncredited');
  });

  it('is refused as an invoice for a positive amount', () => {
    given(creditSigned)
      .when(recordInvoice('INV-1', 1))
      .thenThrows('invalid', 'CO-1 credits the client: record a credit note (a negative amount)', 'amount');
  });
});

describe('a no-charge order', () => {
  it('needs no invoice and takes none', () => {
    given(noChargeSigned).when(recordInvoice('INV-1', 1)).thenThrows('conflict', 'CO-1 is a no-charge order');
  });
});
