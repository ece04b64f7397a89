import { Injectable } from '@nestjs/common';
import { conflict } from '@scope-ledger/domain';
import { sendTestEmail } from '@scope-ledger/notifications';
import { ProblemException } from '../http/problem-details.filter';
import { CompanySettingsService } from './company-settings.service';

/** One email sent straight away with the SMTP settings in force, to check them; never through the outbox. */
@Injectable()
export class CompanyTestEmail {
  constructor(private readonly company: CompanySettingsService) {}

  async send(to: string): Promise<{ sent: true; to: string; from: string; smtpResponse: string }> {
    const company = await this.company.current();
    const { smtp, mailFrom } = company;
    if (!smtp) throw conflict('No SMTP server is set (company settings or SMTP_URL): emails are held in the outbox');
    const name = company.name ?? 'Scope Ledger';
    try {
      const { response } = await sendTestEmail(
        { smtp, from: mailFrom },
        {
          to,
          subject: `Test email from ${name}`,
          text: `This is a test email from ${name}'s Scope Ledger. Emails to signers and staff will reach them.\n`,
        },
      );
      const from = typeof mailFrom === 'string' ? mailFrom : `${mailFrom.name} <${mailFrom.address}>`;
      return { sent: true, to, from, smtpResponse: response };
    } catch (error) {
      throw new ProblemException(
        502,
        'Test email not sent',
        `The test email was not sent: the SMTP server answered: ${(error as Error).message}`,
      );
    }
  }
}
