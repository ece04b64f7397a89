import {
  Body,
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { notFound, orderNumber, signedOrders } from '@scope-ledger/domain';
import { CommandContext, Platform, ProjectCommands } from '@scope-ledger/platform';
import { budgetView } from '@scope-ledger/projections';
import { Roles, StaffAuthGuard } from '../auth/staff-auth.guard';
import { StaffContext } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { commandAnswer } from '../projects/command-answer';
import { IsMinorUnits, IsTimestamp, NoControlCharacters } from '../projects/dto/common.dto';
import { ProjectReads } from '../projects/project-reads';
import { toCsv } from './csv';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

class FinanceFilterDto {
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: 'signed at or after' })
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ example: '2026-04-01T00:00:00Z', description: 'signed before' })
  @IsOptional()
  @IsTimestamp()
  to?: string;

  @ApiPropertyOptional({ description: 'client name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client?: string;
}

class RecordInvoiceDto {
  @ApiProperty({ example: 'INV-2026-0142' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  @NoControlCharacters()
  invoiceNumber!: string;

  @ApiProperty({ example: 125000, description: 'minor units' })
  @IsMinorUnits()
  amount!: number;
}

@ApiTags('finance')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Roles('finance')
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
      amount: r.amount,
      invoiced: r.invoiced,
      uninvoiced: r.amount - r.invoiced,
      absorbed: r.absorbed,
      invoices: r.invoices,
    }));
    if (accept?.includes('text/csv')) {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="signed-change-orders.csv"');
      return toCsv(
        [
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
          'changeOrderId',
          'projectId',
        ],
        rows,
      );
    }
    // Amounts in different currencies never add up: one total per currency.
    const totals = new Map<string, { amount: number; invoiced: number; uninvoiced: number }>();
    for (const r of rows) {
      const t = totals.get(r.currency) ?? { amount: 0, invoiced: 0, uninvoiced: 0 };
      totals.set(r.currency, {
        amount: t.amount + r.amount,
        invoiced: t.invoiced + r.invoiced,
        uninvoiced: t.uninvoiced + r.uninvoiced,
      });
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
    const outcome = await this.commands.execute(
      projectId,
      {
        type: 'RecordInvoice',
        now: new Date().toISOString(),
        changeOrderId: coId,
        invoiceNumber: dto.invoiceNumber,
        amount: dto.amount,
      },
      context,
    );
    const order = outcome.state.changeOrders.get(coId)!;
    return commandAnswer(res, outcome, {
      changeOrder: orderNumber(order),
      amount: order.amount,
      invoiced: order.invoiced,
      uninvoiced: order.amount - order.invoiced,
    });
  }

  @Get('projects/:id/reconciliation')
  @ApiOperation({ summary: 'Contract value (baseline plus signed changes), invoiced to date, signed but uninvoiced' })
  async reconciliation(@Param('id', uuid) id: string) {
    const state = await this.reads.state(id);
    const budget = budgetView(state);
    const orders = signedOrders(state);
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
      changeOrders: orders.map((o) => ({
        changeOrderId: o.id,
        number: orderNumber(o),
        signedAt: o.signature!.signedAt,
        amount: o.amount,
        invoiced: o.invoiced,
        uninvoiced: o.amount - o.invoiced,
        invoices: o.invoices,
      })),
    };
  }
}
