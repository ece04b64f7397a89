import { ProjectCommand } from './commands';
import { event } from './events';
import { given } from '../testing/decider-specification';
import { CO_1, withSignedOrder } from '../testing/project.fixture';

const NOW = '2026-04-02T09:00:00.000Z';

const voidInvoice = (invoiceNumber: string, reason = 'Billed to the wrong entity'): ProjectCommand => ({
  type: 'VoidInvoice',
  now: NOW,
  changeOrderId: CO_1,
  invoiceNumber,
  reason,
});

const invoiced = (invoiceNumber: string, amount: number) =>
  event('InvoiceRecorded', {
    changeOrderId: CO_1,
    invoiceNumber,
    amount,
    invoiceDate: '2026-03-31',
    invoicedAt: '2026-03-31T12:00:00.000Z',
  });

const withInvoices = [...withSignedOrder, invoiced('INV-1', 100_000), invoiced('INV-2', 50_000)];

describe('voiding an invoice', () => {
  it('keeps the invoice on record with its reason, and it no longer counts', () => {
    const after = given(withInvoices)
      .when(voidInvoice('INV-1'))
      .then([
        event('InvoiceVoided', {
          changeOrderId: CO_1,
          invoiceNumber: 'INV-1',
          reason: 'Billed to the wrong entity',
          voidedAt: NOW,
        }),
      ]);
    const order = after.changeOrders.get(CO_1)!;
    expect(order.invoiced).toBe(50_000);
    expect(order.invoices.map((i) => [i.invoiceNumber, i.voided?.reason ?? null])).toEqual([
      ['INV-1', 'Billed to the wrong entity'],
      ['INV-2', null],
    ]);
  });

  it('is refused for an invoice already voided', () => {
    const once = event('InvoiceVoided', { changeOrderId: CO_1, invoiceNumber: 'INV-1', reason: 'x', voidedAt: NOW });
    given([...withInvoices, once])
      .when(voidInvoice('INV-1'))
      .thenThrows('conflict', 'Invoice INV-1 was already voided on 2026-04-02');
  });

  it('is refused for an invoice the order does not have', () => {
    given(withInvoices)
      .when(voidInvoice('INV-9'))
      .thenThrows('not_found', 'Invoice INV-9 is not recorded against CO-1');
  });

  it('is refused without a reason', () => {
    given(withInvoices).when(voidInvoice('INV-1', '  ')).thenThrows('invalid', 'Say why', 'reason');
  });
});
