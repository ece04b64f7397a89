import { Body, Controller, Get, HttpCode, Patch, Post, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '@scope-ledger/domain';
import { formatPosition } from '@scope-ledger/event-store';
import { CommandContext } from '@scope-ledger/platform';
import { Roles, StaffApi } from '../auth/staff-auth.guard';
import { ProblemException } from '../http/problem-details.filter';
import { StaffContext } from '../http/request-context';
import { CompanySettingsService } from './company-settings.service';
import { companyView } from './company-view';
import { TestEmailDto, UpdateCompanySettingsDto } from './company.dto';
import { CompanyTestEmail } from './company-test-email';
import { Answers } from '../http/answers';
import { CompanySettings, CompanySettingsChanged, TestEmailSent } from '../admin/admin.schemas';

/** The company's name, contact, branding and defaults: every staff member reads them, admins change them. */
@StaffApi('admin', 'pm', 'finance')
@Controller('api/admin/company')
export class CompanyController {
  constructor(
    private readonly company: CompanySettingsService,
    private readonly testEmail: CompanyTestEmail,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The company settings in force, with where each comes from; the SMTP password only as set or not',
  })
  @Answers(200, CompanySettings, { etag: true })
  async read(@Res({ passthrough: true }) res: Response) {
    const company = await this.company.current();
    res.setHeader('ETag', `"${company.revision}"`);
    return companyView(company);
  }

  @Patch()
  @Roles('admin')
  @ApiOperation({
    summary: 'Change company settings (If-Match: the ETag of GET); a field left out stays, null clears it',
  })
  @Answers(200, CompanySettingsChanged, { errors: [409, 422] })
  async change(
    @Body() dto: UpdateCompanySettingsDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.company.change(dto, new Date().toISOString(), context).catch(badInput);
    const company = await this.company.current();
    res.setHeader('ETag', `"${company.revision}"`);
    return {
      ...companyView(company),
      events: outcome.events.map((e) => e.type),
      position: outcome.position ? formatPosition(outcome.position) : null,
    };
  }

  @Post('test-email')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send a test email now with the SMTP settings in force; 502 with the SMTP error if it fails',
  })
  @Answers(200, TestEmailSent, { errors: [409, 502] })
  send(@Body() dto: TestEmailDto) {
    return this.testEmail.send(dto.to);
  }
}

/** A value the domain refuses is bad input here: 400 naming the field. */
export function badInput(error: unknown): never {
  if (error instanceof DomainError && error.kind === 'invalid' && error.field)
    throw new ProblemException(400, 'Invalid request', error.message, [{ field: error.field, message: error.message }]);
  throw error;
}
