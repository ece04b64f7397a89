import { Body, Controller, Get, Headers, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsString, MaxLength } from 'class-validator';
import { ChangeOrderState, notFound, orderNumber, signedOrders } from '@scope-ledger/domain';
import { CommandContext, Platform, ProjectCommands } from '@scope-ledger/platform';
import { budgetView } from '@scope-ledger/projections';
import { StaffApi } from '../auth/staff-auth.guard';
import { AnswersAsOf, StaffContext, uuid } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { commandAnswer } from '../projects/command-answer';
import { IsMinorUnits, IsText, IsTimestamp, OptionalField } from '../projects/dto/common.dto';
import { AsOfQueryDto } from '../projects/dto/project.dto';
import { ProjectReads } from '../projects/project-reads';
import { decimalAmount, toCsv } from './csv';

const CSV_COLUMNS = [
  'project',
  'client',
  'number',
  'signedAt',
  'signedBy',
  'currency',
  'amount',
  'invoiced',
  'uninvoiced',
  'absorbed',
  'invoices',
  'lastInvoicedAt',
  'changeOrderId',
  'projectId',
];

export class FinanceFilterDto {
  @OptionalField({ example: '2026-01-01T00:00:00Z', description: 'signed at or after' })
  @IsTimestamp()
  from?: string;

  @OptionalField({ example: '2026-04-01T00:00:00Z', description: 'signed before' })
  @IsTimestamp()
  to?: string;

  @OptionalField({ description: 'client name' })
  @IsString()
  @MaxLength(200)
  client?: string;
}

class RecordInvoiceDto {
  @ApiProperty({ example: 'INV-2026-0142' })
  @IsText(100)
  invoiceNumber!: string;

  @ApiProperty({ example: 125000, description: 'minor units' })
  @IsMinorUnits()
  amount!: number;
}

/** A signed order's amounts: what it is worth, what has been invoiced and what has not. */
function invoicing(order: Pick<ChangeOrderState, 'amount' | 'invoiced'>) {
  return { amount: order.amount, invoiced: order.invoiced, uninvoiced: order.amount - order.invoiced };
}

type FinanceRow = ReturnType<typeof invoicing> & {
  currency: string;
  absorbed: number;
  invoices: readonly { invoiceNumber: string; amount: number; invoicedAt: string }[];
};

/**
 * A row as a bookkeeper reads it: amounts in the currency's major units beside the currency code,
 * and the invoices by number and date ("INV-7 2026-03-05 100.00; …").
 */
function csvRow<T extends FinanceRow>(row: T): Record<string, unknown> {
  const money = (amount: number) => decimalAmount(amount, row.currency);
  const invoices = row.invoices.map((i) => `${i.invoiceNumber} ${i.invoicedAt.slice(0, 10)} ${money(i.amount)}`);
  return {
    ...row,
    amount: money(row.amount),
    invoiced: money(row.invoiced),
    uninvoiced: money(row.uninvoiced),
    absorbed: money(row.absorbed),
    invoices: invoices.join('; '),
    lastInvoicedAt: row.invoices.at(-1)?.invoicedAt ?? '',
  };
}

@StaffApi('finance', 'finance')
@Controller('api/finance')
export class FinanceController {
  constructor(
    private readonly commands: ProjectCommands,
    private readonly reads: ProjectReads,
    @Inject(PLATFORM) private readonly platform: Platform,
  ) {}

  @Get('change-orders')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Signed change orders with invoiced and uninvoiced amounts; Accept: text/csv for CSV' })
  async list(
    @Query() filter: FinanceFilterDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.reads.catchUp();
    const rows = (await this.platform.readModel.signedChangeOrders(filter)).map((r) => ({
      changeOrderId: r.changeOrderId,
      projectId: r.projectId,
      project: r.projectName,
      client: r.client,
      number: orderNumber(r),
      signedAt: r.signedAt,
      signedBy: r.signedBy,
      currency: r.currency,
      ...invoicing(r),
      absorbed: r.absorbed,
      invoices: r.invoices,
    }));
    if (accept?.includes('text/csv')) {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="signed-change-orders.csv"');
      return toCsv(CSV_COLUMNS, rows.map(csvRow));
    }
    // Amounts in different currencies never add up: one total per currency.
    const totals = new Map<string, ReturnType<typeof invoicing>>();
    for (const r of rows) {
      const total = totals.get(r.currency) ?? { amount: 0, invoiced: 0, uninvoiced: 0 };
      totals.set(r.currency, invoicing({ amount: total.amount + r.amount, invoiced: total.invoiced + r.invoiced }));
    }
    return { changeOrders: rows, totals: Object.fromEntries(totals), currencies: [...totals.keys()] };
  }

  @Post('change-orders/:coId/invoices')
  @ApiOperation({ summary: 'Record an invoice against a signed order (never more than its value)' })
  async invoice(
    @Param('coId', uuid) coId: string,
    @Body() dto: RecordInvoiceDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.reads.catchUp();
    const projectId = await this.platform.readModel.projectIdOfChangeOrder(coId);
    if (!projectId) throw notFound(`Change order ${coId} not found`);
    const command = { type: 'RecordInvoice', now: new Date().toISOString(), changeOrderId: coId, ...dto } as const;
    const outcome = await this.commands.execute(projectId, command, context);
    const order = outcome.state.changeOrders.get(coId)!;
    return commandAnswer(res, outcome, { changeOrder: orderNumber(order), ...invoicing(order) });
  }

  @Get('projects/:id/reconciliation')
  @AnswersAsOf()
  @ApiOperation({ summary: 'Contract value (baseline plus signed changes), invoiced to date, signed but uninvoiced' })
  async reconciliation(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto) {
    const state = await this.reads.state(id, query.asOf);
    const budget = budgetView(state);
    return {
      projectId: id,
      project: state.name,
      client: state.client.name,
      currency: state.currency,
      baseline: budget.baseline,
      signedChanges: budget.approvedChanges,
      contractValue: budget.current,
      changeOrdersInvoiced: budget.invoiced,
      signedUninvoiced: budget.approvedChanges - budget.invoiced,
      absorbed: budget.absorbed,
      changeOrders: signedOrders(state).map((o) => ({
        changeOrderId: o.id,
        number: orderNumber(o),
        signedAt: o.signature!.signedAt,
        ...invoicing(o),
        invoices: o.invoices,
      })),
      asOf: query.asOf ?? null,
    };
  }
}
