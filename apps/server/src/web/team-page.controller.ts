import { Body, Controller, Get, Inject, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { calendarDateIn, mondayOf, notFound, TeamState } from '@scope-ledger/domain';
import { CommandContext, Platform } from '@scope-ledger/platform';
import { Roles } from '../auth/staff-auth.guard';
import { StaffContext } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { AddTeamMemberDto, BookTimeOffDto, LogReactiveWorkDto, UpdateTeamMemberDto } from '../team/team.dto';
import { personView, reactiveWorkView, teamView } from '../team/team-view';
import { FormReader, optional } from './form-reader';
import { noticeFor, PageViewer, Refusal, sendPage, submitForm } from './page-response';
import { Viewer } from './pages/layout';
import { personPage, teamPage } from './pages/team.page';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const now = () => new Date().toISOString();

const NOTICES: Record<string, () => string> = {
  added: () => 'Added to the team.',
  saved: () => 'Saved.',
  unchanged: () => 'Nothing changed: the person was already as entered.',
  left: () => 'Recorded as left: their cards now count as unassigned demand.',
  booked: () => 'Time off booked.',
  cancelled: () => 'Time off cancelled; it stays listed, marked cancelled.',
  reactive: () => 'Reactive work logged: that week’s capacity is reduced by it.',
};

/** The person's fields as typed: hours with a decimal comma read like every other form. */
function personFields(form: FormReader) {
  return { name: form.text('name'), role: form.text('role'), weeklyCapacityHours: form.number('weeklyCapacityHours') };
}

function required(state: TeamState, personId: string) {
  const person = state.people.get(personId);
  if (!person) throw notFound(`Person ${personId} is not on the team`);
  return person;
}

const personPath = (personId: string) => `/app/team/${encodeURIComponent(personId)}`;

/** The team at /app/team: people with their roles and capacity, time off and reactive work. PMs change it. */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Controller('app/team')
export class TeamPageController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  private async showTeam(res: Response, viewer: Viewer, shown: { refused?: Refusal; notice?: string; left?: boolean }) {
    const { state } = await this.platform.team.load();
    const people = teamView(state, { left: shown.left ?? false }).map((person) => ({
      person,
      reactiveHours: reactiveWorkView(state, person.personId).totalHours,
    }));
    const page = teamPage(viewer, {
      people,
      reactiveTotalHours: reactiveTotal(state),
      showLeft: shown.left ?? false,
      failure: shown.refused?.failure,
      notice: shown.notice,
    });
    sendPage(res, shown.refused?.status ?? 200, page);
  }

  private async showPerson(res: Response, viewer: Viewer, personId: string, shown: Shown = {}) {
    const { state } = await this.platform.team.load();
    const person = personView(state, required(state, personId));
    const page = personPage(viewer, {
      person,
      reactive: reactiveWorkView(state, personId),
      thisWeek: mondayOf(calendarDateIn(now(), undefined)),
      failure: shown.refused?.failure,
      notice: shown.notice,
    });
    sendPage(res, shown.refused?.status ?? 200, page);
  }

  @Get()
  @Roles('pm', 'finance')
  async team(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    await this.showTeam(res, viewer, { notice: noticeFor(query, NOTICES), left: query.left === 'true' });
  }

  @Post()
  @Roles('pm')
  async add(
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'add-person', body, async (form) => {
      const dto = await form.validate(AddTeamMemberDto, {
        ...personFields(form),
        ...optional('email', form.optional('email')),
      });
      const outcome = await this.platform.team.execute({ type: 'AddTeamMember', now: now(), ...dto }, context);
      return `${personPath(String(outcome.events[0]?.data.personId))}?done=added`;
    });
    if (refused) await this.showTeam(res, viewer, { refused });
  }

  @Get(':personId')
  @Roles('pm', 'finance')
  async person(
    @Param('personId') personId: string,
    @Query() query: Record<string, unknown>,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    await this.showPerson(res, viewer, personId, { notice: noticeFor(query, NOTICES) });
  }

  @Post(':personId')
  @Roles('pm')
  async save(
    @Param('personId') personId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'person', body, async (form) => {
      // An emptied email field removes the email, as null does in the API.
      const dto = await form.validate(UpdateTeamMemberDto, {
        ...personFields(form),
        email: form.optional('email') ?? null,
      });
      const command = { type: 'UpdateTeamMember', now: now(), personId, ...dto } as const;
      const outcome = await this.platform.team.execute(command, context);
      return `${personPath(personId)}?done=${outcome.events.length > 0 ? 'saved' : 'unchanged'}`;
    });
    if (refused) await this.showPerson(res, viewer, personId, { refused });
  }

  @Post(':personId/leave')
  @Roles('pm')
  async leave(
    @Param('personId') personId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'leave', body, async () => {
      await this.platform.team.execute({ type: 'RemoveTeamMember', now: now(), personId }, context);
      return `${personPath(personId)}?done=left`;
    });
    if (refused) await this.showPerson(res, viewer, personId, { refused });
  }

  @Post(':personId/time-off')
  @Roles('pm')
  async bookTimeOff(
    @Param('personId') personId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'time-off', body, async (form) => {
      const dto = await form.validate(BookTimeOffDto, {
        from: form.text('from'),
        to: form.text('to') || form.text('from'),
        ...optional('note', form.optional('note')),
      });
      await this.platform.team.execute({ type: 'BookTimeOff', now: now(), personId, ...dto }, context);
      return `${personPath(personId)}?done=booked#time-off`;
    });
    if (refused) await this.showPerson(res, viewer, personId, { refused });
  }

  @Post(':personId/time-off/:timeOffId/cancel')
  @Roles('pm')
  async cancelTimeOff(
    @Param('personId') personId: string,
    @Param('timeOffId') timeOffId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, `cancel-${timeOffId}`, body, async () => {
      await this.platform.team.execute({ type: 'CancelTimeOff', now: now(), personId, timeOffId }, context);
      return `${personPath(personId)}?done=cancelled#time-off`;
    });
    if (refused) await this.showPerson(res, viewer, personId, { refused });
  }

  @Post(':personId/reactive-work')
  @Roles('pm')
  async logReactiveWork(
    @Param('personId') personId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'reactive', body, async (form) => {
      const dto = await form.validate(LogReactiveWorkDto, {
        weekOf: form.text('weekOf'),
        hours: form.number('hours'),
        kind: form.text('kind'),
        ...optional('note', form.optional('note')),
      });
      await this.platform.team.execute({ type: 'LogReactiveWork', now: now(), personId, ...dto }, context);
      return `${personPath(personId)}?done=reactive#reactive-work`;
    });
    if (refused) await this.showPerson(res, viewer, personId, { refused });
  }
}

type Shown = { refused?: Refusal; notice?: string };

/** Reactive hours logged across the whole team, leavers included: what the portfolio lost to tickets and outages. */
function reactiveTotal(state: TeamState): number {
  return [...state.reactive.values()].reduce((sum, e) => sum + e.centiHours, 0) / 100;
}
