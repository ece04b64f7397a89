import { Body, Controller, Get, Inject, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound, projectStreamId } from '@scope-ledger/domain';
import { listOutbox, OUTBOX_STATUSES, outboxAsSeenBy, OutboxStatus } from '@scope-ledger/notifications';
import { Platform, verifyAuditTrail } from '@scope-ledger/platform';
import { ProjectionRebuild, projectionStatus } from '../admin/projection-rebuild';
import { createOwnedKey, CreateApiKeyDto } from '../admin/admin.controller';
import { ApiKeysService } from '../auth/api-keys.service';
import { StaffUsers } from '../auth/staff-users.service';
import { CompanySettingsService } from '../company/company-settings.service';
import { Roles } from '../auth/staff-auth.guard';
import { ServerConfig } from '../config';
import { FieldError, problemOf } from '../http/problem-details.filter';
import { uuid } from '../http/request-context';
import { retryOutbox } from '../notifications/outbox.controller';
import { PLATFORM, SERVER_CONFIG } from '../platform.token';
import { FormReader } from './form-reader';
import { noticeFor, PageViewer, Refusal, sendPage } from './page-response';
import { adminPage, apiKeysPage, auditPage, outboxPage, projectionsPage, revokeKeyPage } from './pages/admin.page';
import { Viewer } from './pages/layout';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const NOTICES: Record<string, () => string> = {
  revoked: () => 'Key revoked: it no longer signs anything in.',
  retried: () => 'The email is queued again; the sender picks it up within a few seconds.',
  rebuilding: () => 'Rebuilding the read models in the background.',
  unparked: () => 'The event was applied and is no longer parked.',
};

/** The admin pages under /app/admin: API keys, the outbox, the read models and the audit trail. Admins only. */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Roles('admin')
@Controller('app/admin')
export class AdminPagesController {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    private readonly keys: ApiKeysService,
    private readonly rebuilds: ProjectionRebuild,
    private readonly company: CompanySettingsService,
    private readonly users: StaffUsers,
  ) {}

  @Get()
  landing(@PageViewer() viewer: Viewer, @Res() res: Response) {
    sendPage(res, 200, adminPage(viewer));
  }

  private async showKeys(res: Response, viewer: Viewer, shown: { refused?: Refusal; notice?: string } = {}) {
    const [keys, users] = [await this.keys.list(), await this.users.list()];
    const page = apiKeysPage(viewer, { keys, users, failure: shown.refused?.failure, ...shown });
    sendPage(res, shown.refused?.status ?? 200, page);
  }

  @Get('keys')
  async keyList(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    await this.showKeys(res, viewer, { notice: noticeFor(query, NOTICES) });
  }

  /** The new key is shown on the answer to this post and never again, so no redirect. */
  @Post('keys')
  async createKey(@Body() body: unknown, @PageViewer() viewer: Viewer, @Res() res: Response) {
    const form = new FormReader(body);
    let created: { key: string; name: string };
    try {
      const owner = form.text('ownerUserId');
      const dto = await form.validate(CreateApiKeyDto, {
        name: form.text('name'),
        role: form.text('role'),
        ...(owner ? { ownerUserId: owner } : {}),
      });
      created = await createOwnedKey(this.keys, this.users, dto, viewer.staff.userId ?? null);
    } catch (error) {
      const { status, body: problem } = problemOf(error);
      if (![400, 422].includes(status)) throw error;
      const errors = (problem.errors as FieldError[] | undefined) ?? [];
      const failure = { form: 'key', values: form.values, detail: String(problem.detail), errors };
      return this.showKeys(res, viewer, { refused: { status, failure } });
    }
    const [keys, users] = [await this.keys.list(), await this.users.list()];
    const page = apiKeysPage(viewer, { keys, users, created, notice: 'Key created.' });
    sendPage(res, 201, page);
  }

  @Get('keys/:keyId/revoke')
  async confirmRevoke(@Param('keyId', uuid) keyId: string, @PageViewer() viewer: Viewer, @Res() res: Response) {
    const key = (await this.keys.list()).find((k) => k.id === keyId && !k.revokedAt);
    if (!key) throw notFound('No active key with this id');
    sendPage(res, 200, revokeKeyPage(viewer, key));
  }

  @Post('keys/:keyId/revoke')
  async revoke(@Param('keyId', uuid) keyId: string, @Res() res: Response) {
    if (!(await this.keys.revoke(keyId))) throw notFound('No active key with this id');
    res.redirect(303, '/app/admin/keys?done=revoked');
  }

  private async showOutbox(
    res: Response,
    viewer: Viewer,
    status: unknown,
    shown: { notice?: string; problem?: string },
  ) {
    const filter = OUTBOX_STATUSES.includes(status as OutboxStatus) ? (status as OutboxStatus) : undefined;
    const messages = outboxAsSeenBy(viewer.staff.role, await listOutbox(this.platform.sql, { status: filter }));
    const sendsEmail = (await this.company.current()).smtp !== undefined;
    const page = outboxPage(viewer, { messages, status: filter, sendsEmail, ...shown });
    sendPage(res, shown.problem ? 409 : 200, page);
  }

  @Get('outbox')
  async outbox(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    await this.showOutbox(res, viewer, query.status, { notice: noticeFor(query, NOTICES) });
  }

  @Post('outbox/:messageId/retry')
  async retryEmail(@Param('messageId') messageId: string, @PageViewer() viewer: Viewer, @Res() res: Response) {
    try {
      await retryOutbox(this.platform, this.company, messageId);
    } catch (error) {
      const { status, body } = problemOf(error);
      if (status !== 409) throw error;
      return this.showOutbox(res, viewer, undefined, { problem: String(body.detail) });
    }
    res.redirect(303, '/app/admin/outbox?done=retried');
  }

  private async showProjections(res: Response, viewer: Viewer, shown: { notice?: string; problem?: string }) {
    const page = projectionsPage(viewer, {
      status: await projectionStatus(this.platform),
      rebuild: this.rebuilds.current,
      ...shown,
    });
    sendPage(res, shown.problem ? 409 : 200, page);
  }

  @Get('projections')
  async projections(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    await this.showProjections(res, viewer, { notice: noticeFor(query, NOTICES) });
  }

  /** The rebuild's progress as JSON, for the page's script to poll. */
  @Get('projections/rebuild')
  rebuildStatus() {
    return this.rebuilds.current;
  }

  @Post('projections/rebuild')
  async rebuild(@PageViewer() viewer: Viewer, @Res() res: Response) {
    try {
      await this.rebuilds.start();
    } catch (error) {
      const { status, body } = problemOf(error);
      if (status !== 409) throw error;
      return this.showProjections(res, viewer, { problem: String(body.detail) });
    }
    res.redirect(303, '/app/admin/projections?done=rebuilding');
  }

  @Post('projections/parked/:eventId/retry')
  async retryParked(@Param('eventId', uuid) eventId: string, @PageViewer() viewer: Viewer, @Res() res: Response) {
    try {
      if (!(await this.platform.processor.retryParked(eventId))) throw notFound('No parked event with this id');
    } catch (error) {
      const { status, body } = problemOf(error);
      if (status !== 409) throw error;
      return this.showProjections(res, viewer, { problem: String(body.detail) });
    }
    res.redirect(303, '/app/admin/projections?done=unparked');
  }

  @Get('audit')
  async audit(@Query('verify') verify: unknown, @PageViewer() viewer: Viewer, @Res() res: Response) {
    const report = verify === 'now' ? await verifyAuditTrail(this.platform) : undefined;
    const projectNames = new Map<string, string>();
    if (report)
      for (const row of await this.platform.readModel.portfolio())
        projectNames.set(projectStreamId(row.projectId), row.name);
    sendPage(res, 200, auditPage(viewer, { report, projectNames }));
  }
}
