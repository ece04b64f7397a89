import { Body, Controller, Get, Headers, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { ChangeOrderState, decimalAmount, DomainError, MAX_MINOR, notFound, orderNumber } from '@scope-ledger/domain';
import { CommandContext, Platform, ProjectCommands } from '@scope-ledger/platform';
import {
  clientReconciliationView,
  RecordedInvoice,
  recordedInvoice,
  orderSettlement,
  recordedBaselineInvoice,
  reconciliationView,
} from '@scope-ledger/projections';
import { StaffApi } from '../auth/staff-auth.guard';
import { AnswersAsOf, StaffContext, uuid } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { commandAnswer } from '../projects/command-answer';
import { IsCalendarDate, IsNotBefore, IsText, IsTimestamp, OptionalField } from '../projects/dto/common.dto';
import { AsOfQueryDto } from '../projects/dto/project.dto';
import { ProjectReads } from '../projects/project-reads';
import { toCsv } from './csv';
import { Answers } from '../http/answers';
import { ClientReconciliation, ProjectReconciliation, Settlement, SignedChangeOrders } from './finance.schemas';

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
  // Last, so imports that read the columns by position keep working.
  'monthly',
];

export class FinanceFilterDto {
  @OptionalField({ example: '2026-01-01T00:00:00Z', description: 'signed at or after' })
  @IsTimestamp()
  from?: string;

  @OptionalField({ example: '2026-04-01T00:00:00Z', description: 'signed before; not earlier than from' })
  @IsNotBefore('from')
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

  @ApiProperty({
    example: 125000,
    description: 'minor units; negative for a credit note against a credit order (one with a negative amount)',
  })
  @IsInt({ message: 'amount must be a whole number of minor units (cents)' })
  @Min(-MAX_MINOR)
  @Max(MAX_MINOR)
  amount!: number;

  @OptionalField({ example: '2026-03-31', description: 'the date on the invoice; today when left out; never later' })
  @IsCalendarDate()
  invoiceDate?: string;
}

export class VoidInvoiceDto {
  @ApiProperty({ example: 'Billed to the wrong entity' })
  @IsText(500)
  reason!: string;
}

class ClientReconciliationParams {
  @ApiProperty({ example: 'Contoso Dental Group' })
  @IsText(200)
  client!: string;
}

/** A signed order's amounts: what it is worth, what has been invoiced and what has not. */
function invoicing(order: Pick<ChangeOrderState, 'amount' | 'invoiced'>) {
  return { amount: order.amount, invoiced: order.invoiced, uninvoiced: order.amount - order.invoiced };
}

type FinanceRow = ReturnType<typeof invoicing> & {
  currency: string;
  monthly: number;
  absorbed: number;
  invoices: readonly RecordedInvoice[];
};

/**
 * A row as a bookkeeper reads it: amounts in the currency's major units beside the currency code,
 * and the invoices by number and date ("INV-7 2026-03-05 100.00; …").
 */
function csvRow<T extends FinanceRow>(row: T): Record<string, unknown> {
  const money = (amount: number) => decimalAmount(amount, row.currency);
  // Voided invoices count for nothing and are left out; credit notes show with their negative amounts.
  const live = row.invoices.filter((i) => !i.voided);
  const invoices = live.map((i) => `${i.invoiceNumber} ${i.invoiceDate} ${money(i.amount)}`);
  return {
    ...row,
    amount: money(row.amount),
    invoiced: money(row.invoiced),
    uninvoiced: money(row.uninvoiced),
    monthly: money(row.monthly),
    absorbed: money(row.absorbed),
    invoices: invoices.join('; '),
    lastInvoicedAt: live.at(-1)?.invoicedAt ?? '',
  };
}

/** A project's baseline as a row beside the signed orders: the contract, invoiced against it, uninvoiced. */
function baselineCsvRow(row: BaselineRow): Record<string, unknown> {
  const money = (amount: number) => decimalAmount(amount, row.currency);
  const live = row.invoices.filter((i) => !i.voided);
  const invoices = live.map((i) => `${i.invoiceNumber} ${i.invoiceDate} ${money(i.amount)}${milestoneText(i)}`);
  return {
    project: row.project,
    client: row.client,
    number: 'Baseline',
    currency: row.currency,
    amount: money(row.amount),
    invoiced: money(row.invoiced),
    uninvoiced: money(row.uninvoiced),
    invoices: invoices.join('; '),
    lastInvoicedAt: live.at(-1)?.invoicedAt ?? '',
    projectId: row.projectId,
  };
}

const milestoneText = (invoice: { milestone: string | null }) => (invoice.milestone ? ` ${invoice.milestone}` : '');

type BaselineRow = Awaited<ReturnType<FinanceController['baselines']>>[number];

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
  @ApiOperation({
    summary: 'Signed change orders with invoiced and uninvoiced amounts; Accept: text/csv for CSV',
    description: 'baselines: projects with invoices against their baseline dated in the period (CSV rows "Baseline")',
  })
  @Answers(200, SignedChangeOrders, { alsoAs: ['csv'] })
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
      /** The project's time zone, null when it has none: an invoice is never dated after the project's today. */
      timeZone: r.timeZone,
      ...invoicing(r),
      /** Recurring monthly change signed with the order, billed apart from its one-off amount. */
      monthly: r.monthly,
      absorbed: r.absorbed,
      invoices: r.invoices.map(recordedInvoice),
    }));
    const baselines = await this.baselines(filter);
    if (accept?.includes('text/csv')) {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="signed-change-orders.csv"');
      return toCsv(CSV_COLUMNS, [...rows.map(csvRow), ...baselines.map(baselineCsvRow)]);
    }
    // Amounts in different currencies never add up: one total per currency.
    const totals = new Map<string, ReturnType<typeof invoicing>>();
    for (const r of rows) {
      const total = totals.get(r.currency) ?? { amount: 0, invoiced: 0, uninvoiced: 0 };
      totals.set(r.currency, invoicing({ amount: total.amount + r.amount, invoiced: total.invoiced + r.invoiced }));
    }
    return { changeOrders: rows, totals: Object.fromEntries(totals), currencies: [...totals.keys()], baselines };
  }

  /** Baselines with invoices dated in the period (any date without one): their contract and invoicing. */
  private async baselines(filter: FinanceFilterDto) {
    const projects = await this.platform.readModel.baselineInvoices(filter);
    return projects.map((p) => ({
      projectId: p.projectId,
      project: p.projectName,
      client: p.client,
      currency: p.currency,
      amount: p.baseline,
      invoiced: p.invoiced,
      uninvoiced: p.baseline - p.invoiced,
      invoices: p.invoices.map(recordedBaselineInvoice),
    }));
  }

  @Post('change-orders/:coId/invoices')
  @ApiOperation({
    summary: 'Record an invoice against a signed order, or a credit note (negative) against a credit order',
    description: 'Never beyond the order in magnitude; a no-charge order takes none. invoiceDate defaults to today.',
  })
  @Answers(201, Settlement, { errors: [404, 409, 422] })
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
    return commandAnswer(res, outcome, { changeOrder: orderNumber(order), ...orderSettlement(order) });
  }

  @Post('change-orders/:coId/invoices/:invoiceNumber/void')
  @ApiOperation({
    summary: 'Void an invoice or credit note: it stays on record, counts for nothing; its number stays used',
  })
  @Answers(201, Settlement, { errors: [404, 409, 422] })
  async voidInvoice(
    @Param('coId', uuid) coId: string,
    @Param('invoiceNumber') invoiceNumber: string,
    @Body() dto: VoidInvoiceDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.reads.catchUp();
    const projectId = await this.platform.readModel.projectIdOfChangeOrder(coId);
    if (!projectId) throw notFound(`Change order ${coId} not found`);
    const command = {
      type: 'VoidInvoice',
      now: new Date().toISOString(),
      changeOrderId: coId,
      invoiceNumber,
      ...dto,
    } as const;
    const outcome = await this.commands.execute(projectId, command, context);
    const order = outcome.state.changeOrders.get(coId)!;
    return commandAnswer(res, outcome, { changeOrder: orderNumber(order), ...orderSettlement(order) });
  }

  @Get('projects/:id/reconciliation')
  @AnswersAsOf()
  @ApiOperation({ summary: 'Contract value (baseline plus signed changes), invoiced to date, signed but uninvoiced' })
  @Answers(200, ProjectReconciliation, { errors: [404] })
  async reconciliation(@Param('id', uuid) id: string, @Query() query: AsOfQueryDto) {
    const state = await this.reads.state(id, query.asOf);
    return { ...reconciliationView(state), asOf: query.asOf ?? null };
  }

  @Get('clients/:client/reconciliation')
  @AnswersAsOf()
  @ApiOperation({ summary: "The reconciliation of each of a client's projects, with totals per currency" })
  @Answers(200, ClientReconciliation, { errors: [404] })
  async clientReconciliation(@Param() params: ClientReconciliationParams, @Query() query: AsOfQueryDto) {
    const name = params.client.trim().toLowerCase();
    const ids = (await this.reads.portfolio()).filter((p) => p.client.toLowerCase() === name).map((p) => p.projectId);
    if (ids.length === 0) throw notFound(`No project has the client ${params.client}`);
    const projects = [];
    for (const id of ids) {
      // A project opened after asOf did not exist then: it is left out, not an error.
      const state = await this.reads.state(id, query.asOf).catch((error: unknown) => {
        if (error instanceof DomainError && error.kind === 'not_found') return undefined;
        throw error;
      });
      if (state) projects.push(reconciliationView(state));
    }
    const client = projects[0]?.client ?? params.client;
    return { ...clientReconciliationView(client, projects), asOf: query.asOf ?? null };
  }
}
