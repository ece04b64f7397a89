import { Body, Controller, Get, Inject, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { COMPANY_STREAM_ID, CompanyState, foldCompany, toCompanyEvent } from '@scope-ledger/domain';
import { CommandContext, Platform, RevisionMismatchError } from '@scope-ledger/platform';
import { Roles } from '../auth/staff-auth.guard';
import { badInput } from '../company/company.controller';
import { CompanySettingsInput, CompanySettingsService } from '../company/company-settings.service';
import { CompanyTestEmail } from '../company/company-test-email';
import { FieldError, problemOf, ProblemException } from '../http/problem-details.filter';
import { StaffContext } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { FormReader } from './form-reader';
import { noticeFor, PageViewer, Refusal, sendPage, submitForm } from './page-response';
import { adminCompanyPage, reconcileCompanyForm, TheirCompanyChange } from './pages/admin-company.page';
import { Viewer } from './pages/layout';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const NOTICES: Record<string, () => string> = {
  saved: () => 'Company settings saved. Orders issued from now on use them; issued orders keep theirs.',
  unchanged: () => 'Nothing changed: the settings were already as entered.',
};

/** Empty text clears a setting (the environment's value applies again). */
const textOrNull = (form: FormReader, name: string) => form.text(name) || null;

/** The form as the API's PATCH body: the same rules, the same field names in the messages. */
function settingsOf(form: FormReader): CompanySettingsInput {
  const number = (name: string) => {
    const value = form.number(name);
    if (value === undefined) return null;
    if (typeof value !== 'number') form.refuse(name, `${name} must be a whole number`);
    return typeof value === 'number' ? value : null;
  };
  const secure = form.text('smtpSecure');
  const verification = form.text('signerVerification');
  const password = form.text('smtpPassword');
  return {
    name: textOrNull(form, 'name'),
    email: textOrNull(form, 'email'),
    phone: textOrNull(form, 'phone'),
    address: textOrNull(form, 'address'),
    ...(form.checked('removeLogo') ? { logo: null } : form.text('logo') ? { logo: form.text('logo') } : {}),
    brandColour: textOrNull(form, 'brandColour'),
    paymentTerms: textOrNull(form, 'paymentTerms'),
    expiryDays: number('expiryDays'),
    tsaUrl: textOrNull(form, 'tsaUrl'),
    signerVerification: verification === 'none' || verification === 'email_code' ? verification : null,
    smtpHost: textOrNull(form, 'smtpHost'),
    smtpPort: number('smtpPort'),
    smtpSecure: secure === 'true' ? true : secure === 'false' ? false : null,
    smtpUser: textOrNull(form, 'smtpUser'),
    ...(form.checked('removeSmtpPassword') ? { smtpPassword: null } : password ? { smtpPassword: password } : {}),
    mailFrom: textOrNull(form, 'mailFrom'),
  };
}

/** The company settings page at /app/admin/company: the settings, a logo upload and a test email. Admins only. */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Roles('admin')
@Controller('app/admin/company')
export class AdminCompanyPageController {
  constructor(
    private readonly company: CompanySettingsService,
    private readonly testEmail: CompanyTestEmail,
    @Inject(PLATFORM) private readonly platform: Platform,
  ) {}

  private async show(res: Response, viewer: Viewer, shown: { refused?: Refusal; notice?: string } = {}) {
    const company = await this.company.current();
    const { refused, notice } = shown;
    const submitted = refused?.failure.form === 'company' ? refused.failure.values.version : undefined;
    // A refused form keeps the version it was rendered from, unless the refusal is that the settings moved on.
    let version = String(company.revision);
    if (refused?.status !== 412 && typeof submitted === 'string' && /^-?\d{1,15}$/.test(submitted)) version = submitted;
    let failure = refused?.failure;
    let theirChanges: TheirCompanyChange[] | undefined;
    if (failure && refused?.status === 412 && typeof submitted === 'string' && /^-?\d{1,15}$/.test(submitted)) {
      const rendered = await this.stateAt(BigInt(submitted));
      const reconciled = reconcileCompanyForm(failure.values, rendered.settings, company.stored);
      failure = { ...failure, values: reconciled.values };
      theirChanges = reconciled.theirChanges;
    }
    const problem = refused && refused.failure.form !== 'company' ? refused.failure.detail : undefined;
    sendPage(
      res,
      refused?.status ?? 200,
      adminCompanyPage(viewer, { company, version, failure, notice, problem, theirChanges }),
    );
  }

  /** The settings as they stood at a revision of the stream (what a form was rendered from). */
  private async stateAt(revision: bigint): Promise<CompanyState> {
    const recorded = await this.platform.store.readStream(COMPANY_STREAM_ID);
    const events = recorded.filter((r) => r.revision <= revision).flatMap((r) => toCompanyEvent(r.type, r.data) ?? []);
    return foldCompany(events);
  }

  @Get()
  async page(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    await this.show(res, viewer, { notice: noticeFor(query, NOTICES) });
  }

  @Post()
  async save(
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'company', body, async (form) => {
      const version = form.text('version');
      const expectedRevision = /^-?\d{1,15}$/.test(version) ? BigInt(version) : undefined;
      const settings = settingsOf(form);
      form.assertReadable();
      const outcome = await this.company
        .change(settings, new Date().toISOString(), { ...context, expectedRevision })
        .catch(badInput)
        .catch((error: unknown) => {
          if (!(error instanceof RevisionMismatchError)) throw error;
          throw new ProblemException(
            412,
            'Changed by someone else',
            'Someone else changed the company settings after you opened this page, so nothing was saved. The ' +
              'form keeps what you changed and shows the current value of everything else; save again to apply it.',
          );
        });
      const saved = outcome.events.length > 0 || settings.smtpPassword !== undefined;
      return `/app/admin/company?done=${saved ? 'saved' : 'unchanged'}`;
    });
    if (refused) await this.show(res, viewer, { refused });
  }

  @Post('test-email')
  async sendTest(@Body() body: unknown, @PageViewer() viewer: Viewer, @Res() res: Response) {
    const to = new FormReader(body).text('to');
    try {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to)) {
        const message = 'to must be an email address';
        throw new ProblemException(400, 'Invalid request', message, [{ field: 'to', message }]);
      }
      const sent = await this.testEmail.send(to);
      const notice = `Test email sent to ${sent.to}. The SMTP server answered: ${sent.smtpResponse}`;
      await this.show(res, viewer, { notice });
    } catch (error) {
      // A refused address, no SMTP server (409) or the SMTP server's own error (502), said plainly on the page.
      const { status, body: problem } = problemOf(error);
      if (![400, 409, 502].includes(status)) throw error;
      const errors = (problem.errors as FieldError[] | undefined) ?? [];
      const detail = String(problem.detail ?? problem.title);
      // Nothing on this form is saved: only the test email failed, and the SMTP server's answer says so.
      const failure = { form: 'test-email', values: { to }, detail, errors, lead: status === 502 ? '' : 'Not sent.' };
      await this.show(res, viewer, { refused: { status, failure } });
    }
  }
}
