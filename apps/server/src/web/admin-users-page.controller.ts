import { Body, Controller, Get, Inject, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { STAFF_ROLES, StaffRole } from '@scope-ledger/domain';
import { CommandContext } from '@scope-ledger/platform';
import { Roles } from '../auth/staff-auth.guard';
import { StaffUsers } from '../auth/staff-users.service';
import { ServerConfig } from '../config';
import { StaffContext, uuid } from '../http/request-context';
import { SERVER_CONFIG } from '../platform.token';
import { FormReader } from './form-reader';
import { noticeFor, PageViewer, Refusal, sendPage, submitForm } from './page-response';
import { adminUsersPage } from './pages/admin-users.page';
import { Viewer } from './pages/layout';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';
import { refusedForm } from './setup.controller';

const NOTICES: Record<string, () => string> = {
  role: () => 'Role changed.',
  deactivated: () => 'User deactivated: their sessions ended and their API keys no longer work.',
  reactivated: () => 'User reactivated.',
};

function roleOf(form: FormReader): StaffRole {
  return form.text('role') as StaffRole;
}

/** The users page at /app/admin/users: add users, change roles, deactivate and reactivate. Admins only. */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Roles('admin')
@Controller('app/admin/users')
export class AdminUsersPageController {
  constructor(
    private readonly users: StaffUsers,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  private async show(
    res: Response,
    viewer: Viewer,
    shown: { refused?: Refusal; notice?: string; passwordLink?: { name: string; url: string } } = {},
  ) {
    const page = adminUsersPage(viewer, {
      users: await this.users.list(),
      failure: shown.refused?.failure,
      notice: shown.notice,
      passwordLink: shown.passwordLink,
    });
    sendPage(res, shown.refused?.status ?? 200, page);
  }

  @Get()
  async list(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    await this.show(res, viewer, { notice: noticeFor(query, NOTICES) });
  }

  /** The new user's password link is shown on the answer to this post and never again, so no redirect. */
  @Post()
  async add(
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const form = new FormReader(body);
    try {
      const role = roleOf(form);
      if (!STAFF_ROLES.includes(role)) form.refuse('role', `Role must be one of ${STAFF_ROLES.join(', ')}`);
      const user = await this.users.add({ name: form.text('name'), email: form.text('email'), role }, context);
      const token = await this.users.newPasswordLink(user.userId);
      const url = `${this.config.publicUrl}/app/set-password?token=${token}`;
      await this.show(res, viewer, { notice: `${user.name} was added.`, passwordLink: { name: user.name, url } });
    } catch (error) {
      await this.show(res, viewer, { refused: refusedForm('add-user', form, error) });
    }
  }

  @Post(':userId/role')
  async changeRole(
    @Param('userId', uuid) userId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, `role-${userId}`, body, async (form) => {
      await this.users.changeRole(userId, roleOf(form), context);
      return '/app/admin/users?done=role';
    });
    if (refused) await this.show(res, viewer, { refused });
  }

  @Post(':userId/deactivate')
  async deactivate(
    @Param('userId', uuid) userId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, `role-${userId}`, body, async () => {
      await this.users.deactivate(userId, context);
      return '/app/admin/users?done=deactivated';
    });
    if (refused) await this.show(res, viewer, { refused });
  }

  @Post(':userId/reactivate')
  async reactivate(
    @Param('userId', uuid) userId: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, `role-${userId}`, body, async () => {
      await this.users.reactivate(userId, context);
      return '/app/admin/users?done=reactivated';
    });
    if (refused) await this.show(res, viewer, { refused });
  }
}
