import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound, orderNumber } from '@scope-ledger/domain';
import { CommandContext, Platform, ProjectCommands } from '@scope-ledger/platform';
import { Roles } from '../auth/staff-auth.guard';
import { FinanceController } from '../finance/finance.controller';
import { StaffContext } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { PORTFOLIO_SORTS, PortfolioController, PortfolioSort } from '../portfolio/portfolio.controller';
import { ProjectReads } from '../projects/project-reads';
import { apiParameterType } from './api-route-types';
import { FormReader } from './form-reader';
import { noticeFor, PageViewer, sendPage, submitForm } from './page-response';
import { FinanceFilter, financePage, financeQuery, FinanceRow } from './pages/finance.page';
import { FormFailure } from './pages/forms';
import { Viewer } from './pages/layout';
import { portfolioPage } from './pages/portfolio.page';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });
const RecordInvoiceDto = apiParameterType(FinanceController, 'invoice', 1);
const today = () => new Date().toISOString().slice(0, 10);

const isCalendarDate = (day: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(day) &&
  !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
  new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);

/**
 * The cross-project pages: the portfolio and the finance ledger. They read through the API's
 * own portfolio and finance handlers, so a page shows exactly the figures, risk order and CSV
 * the API gives.
 */
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

  private get portfolioApi(): PortfolioController {
    return this.moduleRef.get(PortfolioController, { strict: false });
  }

  private get financeApi(): FinanceController {
    return this.moduleRef.get(FinanceController, { strict: false });
  }

  @Get()
  @Roles('pm', 'finance')
  async portfolio(@Query('sort') sortParam: unknown, @PageViewer() viewer: Viewer, @Res() res: Response) {
    const sort: PortfolioSort = PORTFOLIO_SORTS.includes(sortParam as PortfolioSort)
      ? (sortParam as PortfolioSort)
      : 'risk';
    const answer = await this.portfolioApi.portfolio({ sort });
    sendPage(res, 200, portfolioPage(viewer, { projects: answer.projects, sort }));
  }

  @Get('finance')
  @Roles('finance')
  async finance(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    await this.showFinance(res, viewer, query, 200, {
      notice: noticeFor(query.done, query.ref, { invoice: (ref) => `Invoice recorded against ${ref}.` }),
    });
  }

  @Get('finance/export.csv')
  @Roles('finance')
  async exportCsv(@Query() query: Record<string, unknown>, @Res() res: Response) {
    const { filter } = this.readFilter(query);
    const csv = await this.financeApi.list(this.apiFilter(filter), 'text/csv', res);
    res.send(csv);
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
    const state = await this.reads.state(projectId);
    const form = new FormReader(body);
    await submitForm(
      res,
      `invoice-${coId}`,
      form,
      async () => {
        const amount = form.money('amount', state.currency);
        const dto = (await form.validate(RecordInvoiceDto, {
          invoiceNumber: form.text('invoiceNumber'),
          amount: amount ?? 0,
        })) as { invoiceNumber: string; amount: number };
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
        const { filter } = this.readFilter(query);
        const back = financeQuery(filter);
        return (
          `/app/finance${back ? `${back}&` : '?'}` +
          `done=invoice&ref=${orderNumber(outcome.state.changeOrders.get(coId)!)}#order-${coId}`
        );
      },
      (failure, status) => this.showFinance(res, viewer, query, status, { failure }),
    );
  }

  private async showFinance(
    res: Response,
    viewer: Viewer,
    query: Record<string, unknown>,
    status: number,
    extra: { failure?: FormFailure; notice?: string },
  ) {
    const { filter, failure: filterFailure } = this.readFilter(query);
    const answer = await this.financeApi.list(this.apiFilter(filter), undefined, res);
    if (typeof answer === 'string') throw new Error('The finance list answered CSV where JSON was asked for');
    const clients = [...new Set((await this.reads.portfolio()).map((p) => p.client))];
    sendPage(
      res,
      filterFailure ? 400 : status,
      financePage(viewer, {
        rows: answer.changeOrders as FinanceRow[],
        totals: answer.totals,
        filter,
        filterFailure,
        clients,
        today: today(),
        ...extra,
      }),
    );
  }

  /** The filter as typed; dates that are not calendar dates are dropped and reported next to their field. */
  private readFilter(query: Record<string, unknown>): { filter: FinanceFilter; failure?: FormFailure } {
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    const typed = { from: text(query.from), to: text(query.to), client: text(query.client).slice(0, 200) };
    const errors = (['from', 'to'] as const)
      .filter((f) => typed[f] && !isCalendarDate(typed[f]))
      .map((field) => ({ field, message: 'Enter a date (YYYY-MM-DD)' }));
    const filter = { ...typed, ...Object.fromEntries(errors.map((e) => [e.field, ''])) };
    return errors.length
      ? { filter, failure: { form: 'filter', values: typed, detail: 'Check the dates.', errors } }
      : { filter };
  }

  private apiFilter(filter: FinanceFilter) {
    return {
      ...(filter.from ? { from: `${filter.from}T00:00:00Z` } : {}),
      ...(filter.to ? { to: `${filter.to}T00:00:00Z` } : {}),
      ...(filter.client ? { client: filter.client } : {}),
    };
  }
}
