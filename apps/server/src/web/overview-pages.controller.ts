import { Body, Controller, Get, Inject, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError, isIsoDate, notFound, orderNumber, ProjectCommand } from '@scope-ledger/domain';
import { CommandContext, Platform, ProjectCommands } from '@scope-ledger/platform';
import { Roles } from '../auth/staff-auth.guard';
import { BookkeepingExportsController } from '../finance/bookkeeping-exports.controller';
import { BaselineInvoicesController } from '../finance/baseline-invoices.controller';
import { FinanceController } from '../finance/finance.controller';
import { AnswersAsOf, StaffContext, uuid } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { PORTFOLIO_SORTS, PortfolioController } from '../portfolio/portfolio.controller';
import { AsOfQueryDto } from '../projects/dto/project.dto';
import { ProjectReads } from '../projects/project-reads';
import { apiParameterType } from './api-route-types';
import { noticeFor, PageViewer, Refusal, sendPage, submitForm } from './page-response';
import { FormReader } from './form-reader';
import {
  clientReconciliationPage,
  projectReconciliationPage,
  projectReconciliationPath,
} from './pages/finance-reconciliation.page';
import { FinanceFilter, financePage, financeQuery } from './pages/finance.page';
import { FormFailure } from './pages/forms';
import { Viewer } from './pages/layout';
import { portfolioPage } from './pages/portfolio.page';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const RecordInvoiceDto = apiParameterType(FinanceController, 'invoice', 1);
const VoidInvoiceDto = apiParameterType(FinanceController, 'voidInvoice', 2);
const RecordBaselineInvoiceDto = apiParameterType(BaselineInvoicesController, 'record', 1);

/** The filter as typed; dates that are not calendar dates are dropped and reported next to their field. */
function readFilter(query: Record<string, unknown>): { filter: FinanceFilter; failure?: FormFailure } {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const typed = { from: text(query.from), to: text(query.to), client: text(query.client).slice(0, 200) };
  const errors = (['from', 'to'] as const)
    .filter((field) => typed[field] && !isIsoDate(typed[field]))
    .map((field) => ({ field, message: 'Enter a date (YYYY-MM-DD)' }));
  if (errors.length === 0 && typed.from && typed.to && typed.to < typed.from)
    errors.push({ field: 'to', message: 'The end date must not be before the start date' });
  const filter = { ...typed, ...Object.fromEntries(errors.map((e) => [e.field, ''])) };
  return errors.length
    ? { filter, failure: { form: 'filter', values: typed, detail: 'Check the dates.', errors } }
    : { filter };
}

/** The filter as the API's finance list takes it: dates as timestamps, and only what is set. */
function apiFilter(filter: FinanceFilter) {
  return {
    ...(filter.from ? { from: `${filter.from}T00:00:00Z` } : {}),
    ...(filter.to ? { to: `${filter.to}T00:00:00Z` } : {}),
    ...(filter.client ? { client: filter.client } : {}),
  };
}

/** `?asOf=` as typed into the as-of form (a datetime-local, read as UTC), or why it cannot be read. */
async function readAsOf(query: Record<string, unknown>): Promise<{ asOf?: string; failure?: FormFailure }> {
  if (query.asOf === undefined || query.asOf === '') return {};
  const form = new FormReader({ asOf: query.asOf });
  try {
    return { asOf: (await form.validate(AsOfQueryDto, { asOf: form.timestamp('asOf') })).asOf };
  } catch {
    return { failure: asOfFailure(form.values, 'Enter a date and time') };
  }
}

function asOfFailure(values: FormFailure['values'], message: string): FormFailure {
  return { form: 'as-of', values, detail: message, errors: [{ field: 'asOf', message }] };
}

/** The portfolio and finance pages, read through the API's own handlers so they show exactly what the API gives. */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Controller('app')
export class OverviewPagesController {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly commands: ProjectCommands,
    private readonly reads: ProjectReads,
    @Inject(PLATFORM) private readonly platform: Platform,
  ) {}

  private get financeApi(): FinanceController {
    return this.moduleRef.get(FinanceController, { strict: false });
  }

  private get exportsApi(): BookkeepingExportsController {
    return this.moduleRef.get(BookkeepingExportsController, { strict: false });
  }

  @Get()
  @Roles('pm', 'finance')
  async portfolio(
    @Query('sort') sortParam: unknown,
    @Query('archived') archivedParam: unknown,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    const sort = PORTFOLIO_SORTS.find((s) => s === sortParam) ?? 'risk';
    const archived = archivedParam === 'true';
    const answer = await this.moduleRef
      .get(PortfolioController, { strict: false })
      .portfolio({ sort, ...(archived ? { archived: 'true' } : {}) });
    sendPage(res, 200, portfolioPage(viewer, { projects: answer.projects, sort, archived }));
  }

  @Get('finance')
  @Roles('finance')
  async finance(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    const notice = noticeFor(query, { invoice: (ref) => `Invoice recorded against ${ref}.` });
    await this.showFinance(res, viewer, query, { notice });
  }

  @Get('finance/export.csv')
  @Roles('finance')
  async exportCsv(@Query() query: Record<string, unknown>, @Res() res: Response) {
    res.send(await this.financeApi.list(apiFilter(readFilter(query).filter), 'text/csv', res));
  }

  @Get('finance/exports/quickbooks.csv')
  @Roles('finance')
  async quickBooksExport(@Query() query: Record<string, unknown>, @Res() res: Response) {
    res.send(await this.exportsApi.quickBooks(apiFilter(readFilter(query).filter), res));
  }

  @Get('finance/exports/xero.csv')
  @Roles('finance')
  async xeroExport(@Query() query: Record<string, unknown>, @Res() res: Response) {
    res.send(await this.exportsApi.xero(apiFilter(readFilter(query).filter), res));
  }

  @Post('finance/change-orders/:coId/invoices')
  @Roles('finance')
  async recordInvoice(
    @Param('coId', uuid) coId: string,
    @Query() query: Record<string, unknown>,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    await this.reads.catchUp();
    const projectId = await this.platform.readModel.projectIdOfChangeOrder(coId);
    if (!projectId) throw notFound('This change order does not exist');
    const { currency, changeOrders } = await this.reads.state(projectId);
    // A credit order's form takes the credit as typed (a positive figure): its credit note is negative.
    const sign = (changeOrders.get(coId)?.amount ?? 0) < 0 ? -1 : 1;
    const refused = await submitForm(res, `invoice-${coId}`, body, async (form) => {
      const invoice = (await form.validate(RecordInvoiceDto, {
        invoiceNumber: form.text('invoiceNumber'),
        amount: sign * (form.money('amount', currency) ?? 0),
        invoiceDate: form.optional('invoiceDate'),
      })) as { invoiceNumber: string; amount: number; invoiceDate?: string };
      const command: ProjectCommand = {
        type: 'RecordInvoice',
        now: new Date().toISOString(),
        changeOrderId: coId,
        ...invoice,
      };
      const { state } = await this.commands.execute(projectId, command, context);
      const back = financeQuery(readFilter(query).filter);
      const ref = orderNumber(state.changeOrders.get(coId)!);
      return `/app/finance${back ? `${back}&` : '?'}done=invoice&ref=${ref}#order-${coId}`;
    });
    if (refused) await this.showFinance(res, viewer, query, { refused });
  }

  @Get('finance/projects/:id')
  @Roles('finance')
  @AnswersAsOf()
  async projectReconciliation(
    @Param('id', uuid) id: string,
    @Query() query: Record<string, unknown>,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    const notice = noticeFor(query, {
      void: (ref) => `Invoice voided on ${ref}.`,
      'baseline-invoice': () => 'Invoice recorded against the baseline.',
      'baseline-void': () => 'Baseline invoice voided.',
    });
    await this.showReconciliation(res, viewer, id, query, { notice });
  }

  @Post('finance/projects/:id/invoices')
  @Roles('finance')
  async recordBaselineInvoice(
    @Param('id', uuid) id: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const { currency } = await this.reads.state(id);
    const refused = await submitForm(res, 'baseline-invoice', body, async (form) => {
      const invoice = (await form.validate(RecordBaselineInvoiceDto, {
        invoiceNumber: form.text('invoiceNumber'),
        amount: form.money('amount', currency),
        invoiceDate: form.optional('invoiceDate'),
        milestone: form.optional('milestone'),
      })) as { invoiceNumber: string; amount: number; invoiceDate?: string; milestone?: string };
      const command: ProjectCommand = { type: 'RecordBaselineInvoice', now: new Date().toISOString(), ...invoice };
      await this.commands.execute(id, command, context);
      return `${projectReconciliationPath(id)}?done=baseline-invoice#baseline`;
    });
    if (refused) await this.showReconciliation(res, viewer, id, {}, { refused });
  }

  @Post('finance/projects/:id/invoices/:invoiceNumber/void')
  @Roles('finance')
  async voidBaselineInvoice(
    @Param('id', uuid) id: string,
    @Param('invoiceNumber') invoiceNumber: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, `void-baseline-${invoiceNumber}`, body, async (form) => {
      const { reason } = (await form.validate(VoidInvoiceDto, { reason: form.text('reason') })) as { reason: string };
      const command: ProjectCommand = {
        type: 'VoidBaselineInvoice',
        now: new Date().toISOString(),
        invoiceNumber,
        reason,
      };
      await this.commands.execute(id, command, context);
      return `${projectReconciliationPath(id)}?done=baseline-void#baseline`;
    });
    if (refused) await this.showReconciliation(res, viewer, id, {}, { refused });
  }

  @Get('finance/clients/:client')
  @Roles('finance')
  @AnswersAsOf()
  async clientReconciliation(
    @Param('client') client: string,
    @Query() query: Record<string, unknown>,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    const { asOf, failure } = await readAsOf(query);
    const answer = await this.financeApi.clientReconciliation({ client: client.slice(0, 200) }, { asOf });
    sendPage(res, failure ? 400 : 200, clientReconciliationPage(viewer, { answer, asOf, asOfFailure: failure }));
  }

  @Post('finance/change-orders/:coId/invoices/:invoiceNumber/void')
  @Roles('finance')
  async voidInvoice(
    @Param('coId', uuid) coId: string,
    @Param('invoiceNumber') invoiceNumber: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    await this.reads.catchUp();
    const projectId = await this.platform.readModel.projectIdOfChangeOrder(coId);
    if (!projectId) throw notFound('This change order does not exist');
    const refused = await submitForm(res, `void-${coId}-${invoiceNumber}`, body, async (form) => {
      const { reason } = (await form.validate(VoidInvoiceDto, { reason: form.text('reason') })) as { reason: string };
      const command: ProjectCommand = {
        type: 'VoidInvoice',
        now: new Date().toISOString(),
        changeOrderId: coId,
        invoiceNumber,
        reason,
      };
      const { state } = await this.commands.execute(projectId, command, context);
      const ref = orderNumber(state.changeOrders.get(coId)!);
      return `${projectReconciliationPath(projectId)}?done=void&ref=${ref}#order-${coId}`;
    });
    if (refused) await this.showReconciliation(res, viewer, projectId, {}, { refused });
  }

  /** A project's reconciliation, now or as of a moment; a moment before the project is refused beside its field. */
  private async showReconciliation(
    res: Response,
    viewer: Viewer,
    id: string,
    query: Record<string, unknown>,
    shown: { refused?: Refusal; notice?: string },
  ) {
    let { asOf, failure } = await readAsOf(query);
    let answer;
    try {
      answer = await this.financeApi.reconciliation(id, { asOf });
    } catch (error) {
      if (!(asOf && error instanceof DomainError && error.kind === 'not_found')) throw error;
      failure = asOfFailure({ asOf: String(query.asOf) }, 'The project did not exist yet at that moment');
      asOf = undefined;
      answer = await this.financeApi.reconciliation(id, {});
    }
    const { refused, notice } = shown;
    const page = projectReconciliationPage(viewer, {
      answer,
      asOf,
      asOfFailure: failure,
      failure: refused?.failure,
      notice,
    });
    sendPage(res, failure ? 400 : (refused?.status ?? 200), page);
  }

  private async showFinance(
    res: Response,
    viewer: Viewer,
    query: Record<string, unknown>,
    shown: { refused?: Refusal; notice?: string },
  ) {
    const { filter, failure: filterFailure } = readFilter(query);
    const answer = await this.financeApi.list(apiFilter(filter), undefined, res);
    if (typeof answer === 'string') throw new Error('The finance list answered CSV where JSON was asked for');
    const clients = [...new Set((await this.reads.portfolio()).map((p) => p.client))];
    const { refused, notice } = shown;
    const page = financePage(viewer, {
      rows: answer.changeOrders,
      totals: answer.totals,
      baselines: answer.baselines,
      filter,
      filterFailure,
      clients,
      today: new Date().toISOString().slice(0, 10),
      now: new Date().toISOString(),
      failure: refused?.failure,
      notice,
    });
    sendPage(res, filterFailure ? 400 : (refused?.status ?? 200), page);
  }
}
