import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { portfolioRow, PortfolioRow } from '@scope-ledger/projections';
import { StaffApi } from '../auth/staff-auth.guard';
import { IsTimestamp, OptionalField } from '../projects/dto/common.dto';
import { ProjectReads } from '../projects/project-reads';
import { AnswersAsOf } from '../http/request-context';
import { Answers } from '../http/answers';
import { Portfolio } from '../finance/finance.schemas';

export const PORTFOLIO_SORTS = ['risk', 'name', 'variance', 'slip', 'pending', 'waiting', 'client'] as const;
export type PortfolioSort = (typeof PORTFOLIO_SORTS)[number];

class PortfolioQueryDto {
  @OptionalField({ enum: PORTFOLIO_SORTS, default: 'risk' })
  @IsIn(PORTFOLIO_SORTS as unknown as string[], { message: `sort must be one of ${PORTFOLIO_SORTS.join(', ')}` })
  sort?: PortfolioSort;

  @OptionalField()
  @IsTimestamp()
  asOf?: string;

  @OptionalField({ enum: ['true', 'false'], default: 'false', description: 'true: archived projects too' })
  @IsIn(['true', 'false'], { message: 'archived must be true or false' })
  archived?: 'true' | 'false';
}

/** One project in the portfolio answer: its health figures and risk score. */
export type PortfolioProjectRow = PortfolioRow & { risk: number };

/** Puts first the projects that need a person today: slipping, waiting, unsigned exposure, unapproved hours. */
function riskScore(row: PortfolioRow): number {
  const exposure = row.baselineBudget > 0 ? row.pendingExposure / row.baselineBudget : 0;
  return (
    Math.max(0, row.slipWorkingDays) * 3 +
    (row.oldestAwaitingDays ?? 0) * 2 +
    Math.round(exposure * 100) +
    Math.ceil(row.unapprovedHours) * 2 +
    row.openRequests +
    row.waitingOnClient.mostOverdueDays * 2
  );
}

@StaffApi('portfolio', 'pm', 'finance')
@Controller('api/portfolio')
export class PortfolioController {
  constructor(private readonly reads: ProjectReads) {}

  @Get()
  @AnswersAsOf()
  @ApiOperation({
    summary: 'Every project: budget variance, slip, pending exposure, orders awaiting signature and their age',
  })
  @Answers(200, Portfolio)
  async portfolio(@Query() query: PortfolioQueryDto) {
    const all = query.asOf ? await this.rowsAsOf(query.asOf) : await this.reads.portfolio();
    const rows = query.archived === 'true' ? all : all.filter((r) => r.status !== 'archived');
    const withRisk: PortfolioProjectRow[] = rows.map((r) => ({ ...r, risk: riskScore(r) }));
    const sort = query.sort ?? 'risk';
    const by: Record<PortfolioSort, (a: PortfolioProjectRow, b: PortfolioProjectRow) => number> = {
      risk: (a, b) => b.risk - a.risk || a.name.localeCompare(b.name),
      name: (a, b) => a.name.localeCompare(b.name),
      variance: (a, b) => b.variance - a.variance,
      slip: (a, b) => b.slipWorkingDays - a.slipWorkingDays,
      pending: (a, b) => b.pendingExposure - a.pendingExposure,
      waiting: (a, b) => (b.oldestAwaitingDays ?? -1) - (a.oldestAwaitingDays ?? -1),
      // Blocked on the client: the most overdue dependency first, then the longest wait, then how many.
      client: (a, b) =>
        b.waitingOnClient.mostOverdueDays - a.waitingOnClient.mostOverdueDays ||
        b.waitingOnClient.longestWaitDays - a.waitingOnClient.longestWaitDays ||
        b.waitingOnClient.open - a.waitingOnClient.open ||
        a.name.localeCompare(b.name),
    };
    withRisk.sort(by[sort]);
    return { asOf: query.asOf ?? null, sort, projects: withRisk, count: withRisk.length };
  }

  /** Time travel over every project: folds each stream up to the moment. */
  private async rowsAsOf(asOf: string): Promise<PortfolioRow[]> {
    return (await this.reads.statesAsOf(asOf)).map((s) => portfolioRow(s, asOf));
  }
}
