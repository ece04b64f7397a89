import { CommandOf } from './commands';
import { event, ProjectEvent } from './events';
import { given } from '../testing/decider-specification';
import { baselined, BASELINE_TOTAL, CO_1, projectOpened, withSignedOrder } from '../testing/project.fixture';
import { baselineInvoiced } from './invoices';

const NOW = '2026-03-31T12:00:00.000Z';
const TODAY = '2026-03-31';

const recordBaselineInvoice = (
  invoiceNumber: string,
  amount: number,
  options: { milestone?: string; invoiceDate?: string } = {},
): CommandOf<'RecordBaselineInvoice'> => ({
  type: 'RecordBaselineInvoice',
  now: NOW,
  invoiceNumber,
  amount,
  ...options,
});

const billed = (invoiceNumber: string, amount: number, milestone?: string): ProjectEvent =>
  event('BaselineInvoiceRecorded', {
    invoiceNumber,
    amount,
    invoiceDate: TODAY,
    ...(milestone ? { milestone } : {}),
    invoicedAt: NOW,
  });

describe('invoicing the baseline contract', () => {
  // The baseline is worth 7,495.00.
  it('records an invoice for a milestone, dated today, and one for the baseline as a whole', () => {
    given(baselined)
      .when(recordBaselineInvoice('INV-100', 300_000, { milestone: 'M1' }))
      .then([billed('INV-100', 300_000, 'M1')]);
    const after = given([...baselined, billed('INV-100', 300_000, 'M1')])
      .when(recordBaselineInvoice('INV-101', 449_500))
      .then([billed('INV-101', 449_500)]);
    expect(baselineInvoiced(after)).toBe(BASELINE_TOTAL);
  });

  it('refuses more than the uninvoiced remainder of the baseline: 7,495.00 − 3,000.00 leaves 4,495.00', () => {
    given([...baselined, billed('INV-100', 300_000, 'M1')])
      .when(recordBaselineInvoice('INV-101', 449_501))
      .thenThrows('conflict', 'Invoice exceeds the baseline contract: USD 4,495.00 of it remains uninvoiced');
  });

  it('refuses an amount of zero or below, and a milestone the baseline does not have, naming the field', () => {
    given(baselined).when(recordBaselineInvoice('INV-100', 0)).thenThrows('invalid', 'above zero', 'amount');
    given(baselined).when(recordBaselineInvoice('INV-100', -5_000)).thenThrows('invalid', undefined, 'amount');
    given(baselined)
      .when(recordBaselineInvoice('INV-100', 5_000, { milestone: 'M9' }))
      .thenThrows('invalid', 'The baseline has no milestone M9 (milestones: M1, M2, M3)', 'milestone');
  });

  it('refuses a number already used in the project, on the baseline or on an order, voided or not', () => {
    const orderInvoiced = event('InvoiceRecorded', {
      changeOrderId: CO_1,
      invoiceNumber: 'INV-7',
      amount: 1_000,
      invoiceDate: TODAY,
      invoicedAt: NOW,
    });
    given([...withSignedOrder, orderInvoiced])
      .when(recordBaselineInvoice('INV-7', 5_000))
      .thenThrows('conflict', 'Invoice INV-7 is already recorded against CO-1');
    const voided = event('BaselineInvoiceVoided', { invoiceNumber: 'INV-100', reason: 'Wrong entity', voidedAt: NOW });
    given([...baselined, billed('INV-100', 5_000), voided])
      .when(recordBaselineInvoice('INV-100', 5_000))
      .thenThrows('conflict', 'Invoice INV-100 is already recorded against the baseline contract');
    given([...withSignedOrder, billed('INV-100', 5_000)])
      .when({ type: 'RecordInvoice', now: NOW, changeOrderId: CO_1, invoiceNumber: 'INV-100', amount: 1_000 })
      .thenThrows('conflict', 'Invoice INV-100 is already recorded against the baseline contract');
  });

  it('takes a number in another case for the same number', () => {
    const orderInvoiced = event('InvoiceRecorded', {
      changeOrderId: CO_1,
      invoiceNumber: 'INV-7',
      amount: 1_000,
      invoiceDate: TODAY,
      invoicedAt: NOW,
    });
    given([...withSignedOrder, orderInvoiced])
      .when(recordBaselineInvoice('inv-7', 5_000))
      .thenThrows('conflict', 'Invoice INV-7 is already recorded against CO-1');
    given([...baselined, billed('INV-100', 5_000)])
      .when(recordBaselineInvoice('Inv-100', 5_000))
      .thenThrows('conflict', 'Invoice INV-100 is already recorded against the baseline contract');
  });

  it("refuses a date after the project's today when the project has a time zone", () => {
    // 2026-03-31T12:00Z is 05:00 on 31 March in Los Angeles: 1 April is tomorrow there.
    const inLosAngeles = event('ProjectTimeZoneChanged', {
      timeZone: 'America/Los_Angeles',
      changedAt: '2026-03-02T09:00:00.000Z',
    });
    given([...baselined, inLosAngeles])
      .when(recordBaselineInvoice('INV-100', 5_000, { invoiceDate: '2026-04-01' }))
      .thenThrows('invalid', 'Invoice date 2026-04-01 is in the future', 'invoiceDate');
    given(baselined)
      .when(recordBaselineInvoice('INV-100', 5_000, { invoiceDate: '2026-04-01' }))
      .then([
        event('BaselineInvoiceRecorded', {
          invoiceNumber: 'INV-100',
          amount: 5_000,
          invoiceDate: '2026-04-01',
          invoicedAt: NOW,
        }),
      ]);
  });

  it('refuses an invoice before there is a baseline', () => {
    given([projectOpened]).when(recordBaselineInvoice('INV-100', 5_000)).thenThrows('conflict', 'no baseline');
  });

  it('voids an invoice with a reason: it stays on record and no longer counts', () => {
    const after = given([...baselined, billed('INV-100', 300_000, 'M1')])
      .when({ type: 'VoidBaselineInvoice', now: NOW, invoiceNumber: 'INV-100', reason: 'Billed to the wrong entity' })
      .then([
        event('BaselineInvoiceVoided', {
          invoiceNumber: 'INV-100',
          reason: 'Billed to the wrong entity',
          voidedAt: NOW,
        }),
      ]);
    expect(after.baselineInvoices).toEqual([
      {
        invoiceNumber: 'INV-100',
        amount: 300_000,
        invoiceDate: TODAY,
        milestone: 'M1',
        invoicedAt: NOW,
        voided: { reason: 'Billed to the wrong entity', voidedAt: NOW },
      },
    ]);
    expect(baselineInvoiced(after)).toBe(0);
    given([...baselined, billed('INV-100', 300_000)])
      .when({ type: 'VoidBaselineInvoice', now: NOW, invoiceNumber: 'INV-100', reason: ' ' })
      .thenThrows('invalid', undefined, 'reason');
    given(baselined)
      .when({ type: 'VoidBaselineInvoice', now: NOW, invoiceNumber: 'INV-404', reason: 'x' })
      .thenThrows('not_found');
  });
});
