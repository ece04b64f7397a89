import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { extended } from '@scope-ledger/domain';
import { Platform, stateAsOf } from '@scope-ledger/platform';
import { portfolioRow, PROJECT_STREAM_PREFIX, projectIdOf } from '@scope-ledger/projections';
import { RecordedEvent, START } from '@scope-ledger/event-store';
import { Roles, StaffAuthGuard } from '../auth/staff-auth.guard';
import { PLATFORM } from '../platform.token';
import { IsTimestamp } from '../projects/dto/common.dto';
import { ReadConsistency } from '../projects/read-consistency';

export const PORTFOLIO_SORTS = ['risk', 'name', 'variance', 'slip', 'pending', 'waiting'] as const;
export type PortfolioSort = (typeof PORTFOLIO_SORTS)[number];

class PortfolioQueryDto {
  @ApiPropertyOptional({ enum: PORTFOLIO_SORTS, default: 'risk' })
  @IsOptional()
  @IsIn(PORTFOLIO_SORTS as unknown as string[], { message: `sort must be one of ${PORTFOLIO_SORTS.join(', ')}` })
  sort?: PortfolioSort;

  @ApiPropertyOptional()
  @IsOptional()
  @IsTimestamp()
  asOf?: string;
}

type Row = Omit<ReturnType<typeof portfolioRow>, 'baselineEnd' | 'forecastEnd' | 'oldestAwaitingSince'> & {
  baselineEnd: string | null;
  forecastEnd: string | null;
  oldestAwaitingSince: string | null;
};

/** One project in the portfolio answer: its health figures and risk score. */
export type PortfolioProjectRow = Row & { risk: number };

/**
 * Risk puts first the projects that need a person today: slipping, waiting on the client,
 * carrying unsigned exposure or unapproved hours.
 */
export function riskScore(
  row: Pick<
    Row,
    'slipWorkingDays' | 'oldestAwaitingDays' | 'pendingExposure' | 'baselineBudget' | 'unapprovedHours' | 'openRequests'
  >,
): number {
  const exposure = row.baselineBudget > 0 ? row.pendingExposure / row.baselineBudget : 0;
  return (
    Math.max(0, row.slipWorkingDays) * 3 +
    (row.oldestAwaitingDays ?? 0) * 2 +
    Math.round(exposure * 100) +
    Math.ceil(row.unapprovedHours) * 2 +
    row.openRequests
  );
}

@ApiTags('portfolio')
@ApiBearerAuth()
@UseGuards(StaffAuthGuard)
@Roles('pm', 'finance')
@Controller('api/portfolio')
export class PortfolioController {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly consistency: ReadConsistency,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every project: budget variance, slip, pending exposure, orders awaiting signature and their age',
  })
  async portfolio(@Query() query: PortfolioQueryDto) {
    const now = query.asOf ?? new Date().toISOString();
    const rows: Row[] = query.asOf ? await this.rowsAsOf(query.asOf) : await this.currentRows(now);
    const withRisk = rows.map((r) => extended(r, { risk: riskScore(r) }));
    const sort = query.sort ?? 'risk';
    const by: Record<string, (a: (typeof withRisk)[number], b: (typeof withRisk)[number]) => number> = {
      risk: (a, b) => b.risk - a.risk || a.name.localeCompare(b.name),
      name: (a, b) => a.name.localeCompare(b.name),
      variance: (a, b) => b.variance - a.variance,
      slip: (a, b) => b.slipWorkingDays - a.slipWorkingDays,
      pending: (a, b) => b.pendingExposure - a.pendingExposure,
      waiting: (a, b) => (b.oldestAwaitingDays ?? -1) - (a.oldestAwaitingDays ?? -1),
    };
    withRisk.sort(by[sort]);
    return { asOf: query.asOf ?? null, sort, projects: withRisk, count: withRisk.length };
  }

  private async currentRows(now: string): Promise<Row[]> {
    await this.consistency.catchUp();
    const rows = await this.platform.queries.portfolio();
    return rows.map((r) =>
      extended(r, {
        oldestAwaitingDays: r.oldestAwaitingSince
          ? Math.floor((Date.parse(now) - Date.parse(r.oldestAwaitingSince)) / 86_400_000)
          : null,
      }),
    );
  }

  /** Time travel over every project: folds each stream up to the moment. */
  private async rowsAsOf(asOf: string): Promise<Row[]> {
    const byProject = new Map<string, RecordedEvent[]>();
    let after = START;
    for (;;) {
      const batch = await this.platform.store.readAll({ after, streamPrefix: PROJECT_STREAM_PREFIX, limit: 5000 });
      if (batch.length === 0) break;
      for (const e of batch) {
        const id = projectIdOf(e.streamId);
        if (!byProject.has(id)) byProject.set(id, []);
        byProject.get(id)!.push(e);
      }
      after = batch[batch.length - 1].position;
    }
    return [...byProject.values()]
      .map((events) =>
        stateAsOf(
          events.sort((a, b) => (a.revision < b.revision ? -1 : 1)),
          asOf,
        ),
      )
      .filter((s) => s.exists)
      .map((s) => portfolioRow(s, asOf));
  }
}
