import { Body, Controller, Get, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { conflict, invalid, StaffUser } from '@scope-ledger/domain';
import { CommandContext } from '@scope-ledger/platform';
import { StaffUsers } from '../auth/staff-users.service';
import { StaffContext } from '../http/request-context';
import { FormReader } from './form-reader';
import { noticeFor, PageViewer, Refusal, sendPage } from './page-response';
import { accountPage } from './pages/account.page';
import { valuesOf } from './pages/forms';
import { Viewer } from './pages/layout';
import { refusedForm, samePasswordTwice } from './setup.controller';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const NOTICES: Record<string, () => string> = {
  password: () => 'Password changed.',
  'totp-on': () => 'The authenticator app is on: signing in now asks for its code.',
  'totp-off': () => 'The authenticator app is off.',
};

/** My account at /app/account: password and authenticator app, for people signed in with their account. */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Controller('app/account')
export class AccountPageController {
  constructor(private readonly users: StaffUsers) {}

  /** The signed-in person; undefined for a session opened with an API key. */
  private async userOf(viewer: Viewer): Promise<StaffUser | undefined> {
    const { userId, keyId } = viewer.staff;
    return userId && !keyId ? this.users.find(userId) : undefined;
  }

  private async show(res: Response, viewer: Viewer, shown: { refused?: Refusal; notice?: string } = {}) {
    const user = await this.userOf(viewer);
    const pendingTotp = user && !user.totpEnrolledAt ? await this.users.pendingTotp(user.userId) : undefined;
    const page = accountPage(viewer, { user, pendingTotp, failure: shown.refused?.failure, notice: shown.notice });
    sendPage(res, shown.refused?.status ?? 200, page);
  }

  @Get()
  async account(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    await this.show(res, viewer, { notice: noticeFor(query, NOTICES) });
  }

  @Post('password')
  async changePassword(
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const form = new FormReader(body);
    try {
      const user = await this.signedInUser(viewer);
      const password = samePasswordTwice(form);
      if (user.passwordSetAt) {
        const current = valuesOf(form.values, 'current')[0] ?? '';
        if (!(await this.users.verifyPassword(user.email, current)))
          throw invalid('This is not your current password', 'current');
      }
      await this.users.setPassword(user.userId, password, context);
      res.redirect(303, '/app/account?done=password');
    } catch (error) {
      await this.show(res, viewer, { refused: refusedForm('password', form, error) });
    }
  }

  @Post('totp')
  async beginTotp(@PageViewer() viewer: Viewer, @Res() res: Response) {
    const user = await this.signedInUser(viewer);
    if (user.totpEnrolledAt) throw conflict('The authenticator app is already on; turn it off first');
    await this.users.beginTotp(user.userId);
    res.redirect(303, '/app/account#totp');
  }

  @Post('totp/confirm')
  async confirmTotp(
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const form = new FormReader(body);
    try {
      const user = await this.signedInUser(viewer);
      const code = form.text('code').replace(/\s/g, '');
      if (!(await this.users.confirmTotp(user.userId, code, context)))
        throw invalid('This code does not match; type the 6 digits the app shows now', 'code');
      res.redirect(303, '/app/account?done=totp-on');
    } catch (error) {
      await this.show(res, viewer, { refused: refusedForm('totp', form, error) });
    }
  }

  @Post('totp/remove')
  async removeTotp(@PageViewer() viewer: Viewer, @StaffContext() context: CommandContext, @Res() res: Response) {
    const user = await this.signedInUser(viewer);
    await this.users.removeTotp(user.userId, context);
    res.redirect(303, '/app/account?done=totp-off');
  }

  private async signedInUser(viewer: Viewer): Promise<StaffUser> {
    const user = await this.userOf(viewer);
    if (!user) throw conflict('You signed in with an API key; sign in with your email to change your account');
    return user;
  }
}
