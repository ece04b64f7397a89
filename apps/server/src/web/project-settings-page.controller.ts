import { Body, Controller, Get, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Person, ProjectCommand } from '@scope-ledger/domain';
import { CommandContext, ProjectCommands, RevisionMismatchError } from '@scope-ledger/platform';
import { Roles } from '../auth/staff-auth.guard';
import { StaffContext, uuid } from '../http/request-context';
import { problemOf, ProblemException } from '../http/problem-details.filter';
import { updateProjectSettingsCommand, UpdateProjectSettingsDto } from '../projects/dto/project-settings.dto';
import { ProjectReads } from '../projects/project-reads';
import { FormReader, holidaysOf, rateCardOf } from './form-reader';
import { noticeFor, PageViewer, Refusal, sendPage, submitForm } from './page-response';
import { Viewer } from './pages/layout';
import { projectSettingsPage, reconcileSettingsForm, TheirChange } from './pages/project-settings.page';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const now = () => new Date().toISOString();

const NOTICES: Record<string, () => string> = {
  saved: () => 'Settings saved.',
  unchanged: () => 'Nothing changed: the settings were already as entered.',
  closed: () => 'Project closed. Orders already issued can still be signed; reopen it to log new requests.',
  reopened: () => 'Project reopened.',
  archived: () => 'Project archived: the portfolio no longer lists it unless archived projects are shown.',
};

const STATUS_COMMANDS = {
  close: { type: 'CloseProject', done: 'closed' },
  reopen: { type: 'ReopenProject', done: 'reopened' },
  archive: { type: 'ArchiveProject', done: 'archived' },
} as const;

/** A person from two fields; both empty means none (null), which clears the setting. */
function personOf(form: FormReader, name: string): Person | null {
  const person = { name: form.text(`${name}.name`), email: form.text(`${name}.email`) };
  return person.name || person.email ? person : null;
}

/** The project revision the form was rendered from (its hidden `version`); none from older pages: no check. */
function versionOf(form: FormReader): bigint | undefined {
  const version = form.text('version');
  if (/^\d{1,15}$/.test(version)) return BigInt(version);
  if (version !== '') form.refuse('version', 'The form is damaged; open the settings page again');
  return undefined;
}

/** The settings page of a project: every setting in one form, and closing, reopening or archiving it. */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Controller('app/projects/:id/settings')
export class ProjectSettingsPageController {
  constructor(
    private readonly commands: ProjectCommands,
    private readonly reads: ProjectReads,
  ) {}

  private async show(res: Response, viewer: Viewer, id: string, shown: { refused?: Refusal; notice?: string } = {}) {
    const state = await this.reads.state(id);
    const { refused, notice } = shown;
    const problem = refused && refused.failure.form !== 'settings' ? refused.failure.detail : undefined;
    // The form saves over the version it was first rendered from: a refused form keeps it, so a change someone
    // else saved meanwhile is not overwritten by correcting a field; only the refusal that names it moves it on.
    const submitted = refused?.failure.form === 'settings' ? refused.failure.values.version : undefined;
    const version =
      refused?.status !== 412 && typeof submitted === 'string' && submitted !== '' ? submitted : state.revision;
    let failure = refused?.failure;
    let theirChanges: TheirChange[] | undefined;
    if (failure && refused?.status === 412 && typeof submitted === 'string' && /^\d{1,15}$/.test(submitted)) {
      // Saving this form again must not undo what the other person changed: the settings the user left alone
      // show their current values, and the page lists what changed since the form was rendered.
      const rendered = await this.reads.stateAtRevision(id, BigInt(submitted));
      const reconciled = reconcileSettingsForm(failure.values, rendered, state);
      failure = { ...failure, values: reconciled.values };
      theirChanges = reconciled.theirChanges;
    }
    sendPage(
      res,
      refused?.status ?? 200,
      projectSettingsPage(viewer, { state, version, failure, notice, problem, theirChanges }),
    );
  }

  @Get()
  @Roles('pm')
  async settings(
    @Param('id', uuid) id: string,
    @Query() query: Record<string, unknown>,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    await this.show(res, viewer, id, { notice: noticeFor(query, NOTICES) });
  }

  @Post()
  @Roles('pm')
  async save(
    @Param('id', uuid) id: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const state = await this.reads.state(id);
    const refused = await submitForm(res, 'settings', body, async (form) => {
      const rates = rateCardOf(form, state.currency);
      const expectedRevision = versionOf(form);
      const expiry = form.number('defaultExpiryDays');
      const dto = await form.validate(UpdateProjectSettingsDto, {
        name: form.text('name'),
        client: { name: form.text('client.name'), email: form.text('client.email') },
        manager: personOf(form, 'manager'),
        financeContact: personOf(form, 'financeContact'),
        holidays: holidaysOf(form),
        rates,
        defaultExpiryDays: expiry ?? null,
        timeZone: form.text('timeZone') || null,
      });
      const command = updateProjectSettingsCommand(dto, now());
      const outcome = await this.commands
        .execute(id, command, { ...context, expectedRevision })
        .catch((error: unknown) => {
          if (!(error instanceof RevisionMismatchError)) throw error;
          throw new ProblemException(
            412,
            'Changed by someone else',
            'Someone else changed this project after you opened this page, so nothing was saved. The form keeps ' +
              'what you changed and shows the current value of everything else; save again to apply your changes.',
          );
        });
      return `/app/projects/${id}/settings?done=${outcome.events.length > 0 ? 'saved' : 'unchanged'}`;
    });
    if (refused) await this.show(res, viewer, id, { refused });
  }

  @Post(':action')
  @Roles('pm')
  async changeStatus(
    @Param('id', uuid) id: string,
    @Param('action') action: string,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    if (!Object.hasOwn(STATUS_COMMANDS, action)) return this.show(res, viewer, id);
    const { type, done } = STATUS_COMMANDS[action as keyof typeof STATUS_COMMANDS];
    try {
      await this.commands.execute(id, { type, now: now() } as ProjectCommand, context);
    } catch (error) {
      const { status, body } = problemOf(error);
      if (status !== 409) throw error;
      const failure = { form: action, values: {}, detail: String(body.detail), errors: [] };
      return this.show(res, viewer, id, { refused: { status, failure } });
    }
    res.redirect(303, `/app/projects/${id}/settings?done=${done}`);
  }
}
