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
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { notFound } from '@scope-ledger/domain';
import { CommandContext, Platform } from '@scope-ledger/platform';
import { budgetView } from '@scope-ledger/projections';
import { Roles, StaffAuthGuard } from '../auth/staff-auth.guard';
import { StaffContext } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { RunProjectCommand } from '../projects/commands/run-project-command.command';
import { IsMinorUnits, IsTimestamp, NoControlCharacters } from '../projects/dto/common.dto';
import { commandAnswer } from '../projects/projects.controller';
import { GetProjectStateQuery } from '../projects/queries/get-project-state.query';
import { ReadConsistency } from '../projects/read-consistency';
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
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get('change-orders')
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Signed change orders with invoiced and uninvoiced amounts; Accept: text/csv for CSV' })
  async list(
    @Query() filter: FinanceFilterDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.catchUp();
    const rows = (await this.platform.queries.signedChangeOrders(filter)).map((r) => ({
      changeOrderId: r.changeOrderId,
      projectId: r.projectId,
      project: r.projectName,
      client: r.client,
      number: `CO-${r.number}`,
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
    const totals: Record<string, { amount: number; invoiced: number; uninvoiced: number }> = {};
    for (const r of rows) {
      const t = (totals[r.currency] ??= { amount: 0, invoiced: 0, uninvoiced: 0 });
      t.amount += r.amount;
      t.invoiced += r.invoiced;
      t.uninvoiced += r.uninvoiced;
    }
    return { changeOrders: rows, totals, currencies: Object.keys(totals) };
  }

  @Post('change-orders/:coId/invoices')
  @ApiOperation({ summary: 'Record an invoice against a signed order (never more than its value)' })
  async invoice(
    @Param('coId', uuid) coId: string,
    @Body() dto: RecordInvoiceDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.catchUp();
    const projectId = await this.platform.queries.projectIdOfChangeOrder(coId);
    if (!projectId) throw notFound(`Change order ${coId} not found`);
    const outcome = await this.commands.execute(
      new RunProjectCommand(
        projectId,
        {
          type: 'RecordInvoice',
          now: new Date().toISOString(),
          changeOrderId: coId,
          invoiceNumber: dto.invoiceNumber,
          amount: dto.amount,
        },
        context,
      ),
    );
    const order = outcome.state.changeOrders[coId];
    return commandAnswer(res, outcome, {
      changeOrder: `CO-${order.number}`,
      amount: order.amount,
      invoiced: order.invoiced,
      uninvoiced: order.amount - order.invoiced,
    });
  }

  @Get('projects/:id/reconciliation')
  @ApiOperation({ summary: 'Contract value (baseline plus signed changes), invoiced to date, signed but uninvoiced' })
  async reconciliation(@Param('id', uuid) id: string) {
    const state = await this.queries.execute(new GetProjectStateQuery(id));
    const budget = budgetView(state);
    const orders = state.signedOrderIds.map((o) => state.changeOrders[o]);
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
        number: `CO-${o.number}`,
        signedAt: o.signature!.signedAt,
        amount: o.amount,
        invoiced: o.invoiced,
        uninvoiced: o.amount - o.invoiced,
        invoices: o.invoices,
      })),
    };
  }

  private async catchUp() {
    await this.consistency.catchUp();
  }
}
