import { Logger } from '@nestjs/common';
import { CompanySettingsService } from './company/company-settings.service';
import { configFromEnv } from './config';
import { createServer } from './server';

async function main(): Promise<void> {
  const config = configFromEnv();
  const server = await createServer(config);
  await server.app.listen(config.port, config.host);
  const logger = new Logger('ScopeLedger');
  logger.log(
    `Scope Ledger on ${server.platform.description}, listening on ${config.publicUrl} ` +
      `(API docs at ${config.publicUrl}/api/docs)`,
  );
  const company = await server.app.get(CompanySettingsService).current();
  if (!company.name || !company.email)
    logger.warn(
      'The company name and contact email are not set: change orders cannot be issued until both are ' +
        `(company settings at ${config.publicUrl}/app/admin/company, or MSP_NAME and MSP_EMAIL)`,
    );
  // Close the database and free the data folder, so that a stopped server leaves a folder that can be copied.
  const stop = (signal: NodeJS.Signals) => {
    logger.log(`${signal}: stopping`);
    server.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`Scope Ledger did not stop cleanly: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // No secret in the logs: whoever opens the setup page first creates the owner account.
  if (!(await server.staffUsers.hasActiveAdmin()))
    logger.log(`Open ${config.publicUrl}/setup to create the owner account`);
}

main().catch((error: Error) => {
  process.stderr.write(`Scope Ledger could not start: ${error.message}\n`);
  process.exit(1);
});
