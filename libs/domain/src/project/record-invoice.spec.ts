import { ProjectCommand } from './commands';
import { event, ProjectEvent } from './events';
import { given } from '../testing/decider-specification';
import {
  assessed,
  cardCancelled,
  CO_1,
  CO_2,
  CR_3,
  onOrder,
  orderDrafted,
  orderIssued,
  orderSigned,
  REMOVE_SI_3,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const NOW = '2026-03-31T12:00:00.000Z';

const recordInvoice = (invoiceNumber: string, amount: number, changeOrderId = CO_1): ProjectCommand => ({
  type: 'RecordInvoice',
  now: NOW,
  changeOrderId,
  invoiceNumber,
  amount,
});

const invoiced = (invoiceNumber: string, amount: number) =>
  event('InvoiceRecorded', { changeOrderId: CO_1, invoiceNumber, amount, invoicedAt: NOW });

// CO-1 is signed for 117,000 + 78,788 = 195,788
describe('recording an invoice against a change order', () => {
  it('records part of the signed value', () => {
    const after = given(withSignedOrder)
      .when(recordInvoice('INV-2026-031', 100_000))
      .then([invoiced('INV-2026-031', 100_000)]);
    expect(after.changeOrders.get(CO_1)?.invoiced).toBe(100_000);
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

  it('is refused for an order that credits the client', () => {
    const creditSigned: ProjectEvent[] = [
      ...assessed,
      orderDrafted(CO_1, 1, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 3)], { amount: -180_000 }),
      orderIssued(CO_1, { originalContract: 749_500, previouslyApproved: 0 }),
      orderSigned(CO_1),
      cardCancelled('C-3', CO_1),
    ];
    given(creditSigned).when(recordInvoice('INV-2026-031', 1)).thenThrows('conflict', 'exceeds the signed value');
  });

  it('is refused when the invoice number is already recorded against the order', () => {
    given([...withSignedOrder, invoiced('INV-2026-031', 100_000)])
      .when(recordInvoice('INV-2026-031', 1_000))
      .thenThrows('conflict', 'Invoice INV-2026-031 is already recorded against CO-1');
  });

  it('is refused for an order that is not signed', () => {
    given(withIssuedOrder)
      .when(recordInvoice('INV-2026-031', 1_000))
      .thenThrows('conflict', 'CO-1 is issued; only signed orders are invoiced');
  });

  it.each([0, -500, 10.5])('is refused for an amount of %p', (amount) => {
    given(withSignedOrder)
      .when(recordInvoice('INV-2026-031', amount))
      .thenThrows('invalid', 'positive whole number of minor units', 'amount');
  });

  it('is refused for an order that does not exist', () => {
    given(withSignedOrder)
      .when(recordInvoice('INV-2026-031', 1_000, CO_2))
      .thenThrows('not_found');
  });
});
