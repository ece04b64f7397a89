import { Body, Controller, Get, Inject, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  BOARD_COLUMNS,
  BoardColumn,
  calendarDateIn,
  decide,
  DomainError,
  isBoardColumn,
  notFound,
  ProjectState,
} from '@scope-ledger/domain';
import { assignBoardCard, CommandContext, Platform, ProjectCommands } from '@scope-ledger/platform';
import { boardCardDetail, BoardFlow } from '@scope-ledger/projections';
import { Roles } from '../auth/staff-auth.guard';
import { BoardController } from '../board/board.controller';
import { AnswersAsOf, StaffContext, uuid } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { ProjectReads } from '../projects/project-reads';
import { apiParameterType } from './api-route-types';
import { optional } from './form-reader';
import { pageAsOf } from './page-as-of';
import { noticeFor, PageViewer, Refusal, sendPage, submitForm } from './page-response';
import { FormFailure } from './pages/forms';
import { boardCardPage } from './pages/board-card.page';
import { boardPage } from './pages/board.page';
import { Viewer } from './pages/layout';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const now = () => new Date().toISOString();

const NOTICES: Record<string, (ref: string) => string> = {
  moved: (ref) => `${ref} moved.`,
  limits: () => 'WIP limits saved.',
  time: (ref) => `Time logged on ${ref}.`,
};

const CARD_NOTICES: Record<string, (ref: string) => string> = { assigned: (ref) => `${ref} assigned.` };

const MoveCardDto = apiParameterType(BoardController, 'move', 2);
const WipLimitsDto = apiParameterType(BoardController, 'limits', 1);
const LogTimeDto = apiParameterType(BoardController, 'logTime', 2);
const AssignCardDto = apiParameterType(BoardController, 'assign', 2);

/** What the board page shows besides the board: a refused form, a confirmation, a refused move, a past moment. */
interface Shown {
  refused?: Refusal;
  notice?: string;
  /** The address of a refused move's redirect, whose reason is decided again on the board as it is now. */
  query?: Record<string, unknown>;
  asOf?: string;
}

/** The delivery board page: move cards within WIP limits, set the limits, log time; and each card's own page. */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Controller('app/projects/:id/board')
export class BoardPageController {
  constructor(
    private readonly commands: ProjectCommands,
    private readonly reads: ProjectReads,
    @Inject(PLATFORM) private readonly platform: Platform,
  ) {}

  private async show(res: Response, viewer: Viewer, projectId: string, shown: Shown) {
    const { state, events, at } = await this.reads.stateWithEvents(projectId, shown.asOf);
    const { refused, notice, query, asOf } = shown;
    const { state: team } = await this.platform.team.load();
    const people = new Map([...team.people.values()].map((p) => [p.personId, p.name]));
    const page = boardPage(viewer, {
      people,
      state,
      cycleTimes: BoardFlow.of(events, at).cycleTimes(),
      asOf,
      today: calendarDateIn(now(), state.timeZone),
      failure: refused?.failure ?? (query ? refusedMove(state, query) : undefined),
      notice,
    });
    sendPage(res, refused?.status ?? 200, page);
  }

  @Get()
  @Roles('pm', 'finance')
  @AnswersAsOf()
  async board(
    @Param('id', uuid) id: string,
    @Query() query: Record<string, unknown>,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    const { asOf, failure } = await pageAsOf(query, this.reads, id);
    if (failure) return this.show(res, viewer, id, { refused: { status: 400, failure } });
    if (asOf) return this.show(res, viewer, id, { asOf });
    return this.show(res, viewer, id, { query, notice: noticeFor(query, NOTICES) });
  }

  @Get('cards/:cardId')
  @Roles('pm', 'finance')
  @AnswersAsOf()
  async card(
    @Param('id', uuid) id: string,
    @Param('cardId') cardId: string,
    @Query() query: Record<string, unknown>,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    const { asOf, failure } = await pageAsOf(query, this.reads, id);
    const notice = asOf || failure ? undefined : noticeFor(query, CARD_NOTICES);
    await this.showCard(res, viewer, id, cardId, {
      asOf,
      refused: failure ? { status: 400, failure } : undefined,
      notice,
    });
  }

  private async showCard(res: Response, viewer: Viewer, projectId: string, cardId: string, shown: Shown) {
    const { asOf, refused, notice } = shown;
    const { state, events, at } = await this.reads.stateWithEvents(projectId, asOf);
    const card = boardCardDetail(state, BoardFlow.of(events, at), cardId);
    if (!card) throw notFound(asOf ? 'This card was not on the board at that moment' : 'This card is not on the board');
    const team = (await this.platform.team.load()).state;
    const people = [...team.people.values()].map(({ personId, name, role, leftAt }) => ({
      personId,
      name,
      role,
      left: leftAt !== undefined,
    }));
    const page = boardCardPage(viewer, { state, card, asOf, failure: refused?.failure, people, notice });
    sendPage(res, refused?.status ?? 200, page);
  }

  @Post('cards/:cardId/assignee')
  @Roles('pm')
  async assign(
    @Param('id', uuid) id: string,
    @Param('cardId') cardId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'assign', body, async (form) => {
      const { personId } = (await form.validate(AssignCardDto, { personId: form.optional('personId') ?? null })) as {
        personId: string | null;
      };
      await assignBoardCard(this.platform.team, this.commands, id, { now: now(), cardId, personId }, context);
      return `/app/projects/${id}/board/cards/${encodeURIComponent(cardId)}?done=assigned&ref=${cardId}`;
    });
    if (refused) await this.showCard(res, viewer, id, cardId, { refused });
  }

  @Post('cards/:cardId/move')
  @Roles('pm')
  async move(
    @Param('id', uuid) id: string,
    @Param('cardId') cardId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, `move-${cardId}`, body, async (form) => {
      const { to } = (await form.validate(MoveCardDto, { to: form.text('to') })) as { to: BoardColumn };
      await this.commands.execute(id, { type: 'MoveCard', now: now(), cardId, to }, context);
      return `/app/projects/${id}/board?done=moved&ref=${cardId}#card-${cardId}`;
    });
    if (!refused) return;
    // A move the board refuses (a WIP limit, a card not yet signed for) goes back to the board's own
    // address, so a refresh shows the board rather than sending the move again.
    const to = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).to : undefined;
    if (refused.status === 409 && isBoardColumn(to)) {
      const query = new URLSearchParams({ refused: 'move', card: cardId, to });
      return res.redirect(303, `/app/projects/${id}/board?${query.toString()}#card-${cardId}`);
    }
    await this.show(res, viewer, id, { refused });
  }

  @Post('wip-limits')
  @Roles('pm')
  async limits(
    @Param('id', uuid) id: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'limits', body, async (form) => {
      const limits: Partial<Record<BoardColumn, number | null>> = {};
      for (const column of BOARD_COLUMNS) {
        const value = form.number(`limits.${column}`);
        if (value === undefined) limits[column] = null;
        else if (typeof value === 'number' && Number.isInteger(value)) limits[column] = value;
        else form.refuse(`limits.${column}`, 'A WIP limit is a whole number from 1 to 1000; leave it empty for none');
      }
      const dto = (await form.validate(WipLimitsDto, { limits })) as { limits: typeof limits };
      await this.commands.execute(id, { type: 'SetWipLimits', now: now(), limits: dto.limits }, context);
      return `/app/projects/${id}/board?done=limits`;
    });
    if (refused) await this.show(res, viewer, id, { refused });
  }

  @Post('cards/:cardId/time')
  @Roles('pm')
  async logTime(
    @Param('id', uuid) id: string,
    @Param('cardId') cardId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, `time-${cardId}`, body, async (form) => {
      const { hours, date, note } = (await form.validate(LogTimeDto, {
        hours: form.number('hours'),
        date: form.text('date'),
        ...optional('note', form.optional('note')),
      })) as { hours: number; date: string; note?: string };
      await this.commands.execute(id, { type: 'LogTime', now: now(), cardId, hours, date, note }, context);
      return `/app/projects/${id}/board?done=time&ref=${cardId}#card-${cardId}`;
    });
    if (refused) await this.show(res, viewer, id, { refused });
  }
}

/**
 * The reason a move shown after its redirect was refused, decided again on the board as it is now:
 * nothing from the address is printed, and a move that would now be accepted shows no error.
 */
function refusedMove(state: ProjectState, query: Record<string, unknown>): FormFailure | undefined {
  const { refused, card, to } = query;
  if (refused !== 'move' || typeof card !== 'string' || typeof to !== 'string') return undefined;
  if (!state.cards.has(card) || !isBoardColumn(to)) return undefined;
  try {
    decide({ type: 'MoveCard', now: now(), cardId: card, to }, state);
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { form: `move-${card}`, values: { to }, detail: error.message, errors: [] };
  }
}
