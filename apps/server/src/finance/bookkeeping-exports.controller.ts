import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import type { Response } from 'express';
import { invoiceDateOf } from '@scope-ledger/domain';
import { Platform } from '@scope-ledger/platform';
import { StaffApi } from '../auth/staff-auth.guard';
import { PLATFORM } from '../platform.token';
import { IsCalendarDate, IsText, OptionalField } from '../projects/dto/common.dto';
import { ProjectReads } from '../projects/project-reads';
import {
  DATE_FORMATS,
  DateFormat,
  InvoiceTerms,
  quickBooksCsv,
  RecordedBaselineInvoice,
  UninvoicedOrder,
  xeroCsv,
  XeroTerms,
} from './bookkeeping-exports';
import { FinanceFilterDto } from './finance.controller';
import { Answers } from '../http/answers';

export class BookkeepingExportDto extends FinanceFilterDto {
  @OptionalField({ example: '2026-04-30', description: 'the invoice date; today (UTC) when left out' })
  @IsCalendarDate()
  invoiceDate?: string;

  @OptionalField({ type: 'integer', example: 30, description: 'calendar days from the invoice date to the due date' })
  @Type(() => Number)
  @IsInt({ message: 'dueInDays must be a whole number of days' })
  @Min(0, { message: 'dueInDays must be 0 or more' })
  @Max(365, { message: 'dueInDays must be 365 or less' })
  dueInDays?: number;

  @OptionalField({
    enum: DATE_FORMATS,
    description: 'iso YYYY-MM-DD, us MM/DD/YYYY, uk DD/MM/YYYY; us for QuickBooks and uk for Xero when left out',
  })
  @IsIn(DATE_FORMATS, { message: `dateFormat must be one of ${DATE_FORMATS.join(', ')}` })
  dateFormat?: DateFormat;
}

/** Xero's file also carries the account and the tax rate; the QuickBooks export refuses them as unknown. */
export class XeroExportDto extends BookkeepingExportDto {
  @OptionalField({ example: '200', description: 'Xero: the revenue account code; 200 (Sales) when left out' })
  @IsText(50)
  accountCode?: string;

  @OptionalField({
    example: 'Tax Exempt',
    description: "Xero: the tax rate's name as the organisation shows it; Tax Exempt when left out",
  })
  @IsText(100)
  taxType?: string;
}

function invoiceTerms(query: BookkeepingExportDto, dateFormat: DateFormat): InvoiceTerms {
  return {
    invoiceDate: query.invoiceDate ?? new Date().toISOString().slice(0, 10),
    dueInDays: query.dueInDays ?? 30,
    dateFormat: query.dateFormat ?? dateFormat,
  };
}

function xeroTerms(query: XeroExportDto): XeroTerms {
  return {
    ...invoiceTerms(query, 'uk'),
    accountCode: query.accountCode ?? '200',
    taxType: query.taxType ?? 'Tax Exempt',
  };
}

function download(res: Response, fileName: string, csv: string): string {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  return csv;
}

/** Signed orders with something left to bill, as draft invoices a bookkeeper imports rather than retypes. */
@StaffApi('finance', 'finance')
@Controller('api/finance/exports')
export class BookkeepingExportsController {
  constructor(
    private readonly reads: ProjectReads,
    @Inject(PLATFORM) private readonly platform: Platform,
  ) {}

  @Get('quickbooks.csv')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary:
      'Signed but uninvoiced change orders, and invoices recorded against baselines, as a QuickBooks Online file',
  })
  @Answers(200, 'csv')
  async quickBooks(@Query() query: BookkeepingExportDto, @Res({ passthrough: true }) res: Response) {
    const orders = await this.signedOrders(query);
    const baseline = await this.baselineInvoices(query);
    return download(res, 'quickbooks-invoices.csv', quickBooksCsv(orders, invoiceTerms(query, 'us'), baseline));
  }

  @Get('xero.csv')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'Signed but uninvoiced change orders, and invoices recorded against baselines, as a Xero import file',
  })
  @Answers(200, 'csv')
  async xero(@Query() query: XeroExportDto, @Res({ passthrough: true }) res: Response) {
    const orders = await this.signedOrders(query);
    const baseline = await this.baselineInvoices(query);
    return download(res, 'xero-invoices.csv', xeroCsv(orders, xeroTerms(query), baseline));
  }

  private async signedOrders(query: BookkeepingExportDto): Promise<UninvoicedOrder[]> {
    await this.reads.catchUp();
    const { from, to, client } = query;
    return this.platform.readModel.signedChangeOrders({ from, to, client });
  }

  /** Invoices recorded against baseline contracts, dated in the period, voided ones left out. */
  private async baselineInvoices(query: BookkeepingExportDto): Promise<RecordedBaselineInvoice[]> {
    const { from, to, client } = query;
    const projects = await this.platform.readModel.baselineInvoices({ from, to, client });
    return projects.flatMap((project) =>
      project.invoices
        .filter((invoice) => !invoice.voided)
        .map((invoice) => ({ ...project, ...invoice, invoiceDate: invoiceDateOf(invoice) })),
    );
  }
}
