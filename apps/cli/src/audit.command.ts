import { Command } from 'commander';
import { AuditReport, verifyAuditTrail } from '@scope-ledger/platform';
import { CliContext, print, withPlatform } from './cli-context';

function formatAuditReport({ streams, catalogue, others, events, broken }: AuditReport): string {
  const lines = broken.map(({ streamId, firstBreak }) => {
    const at = firstBreak!;
    return `BROKEN ${streamId} at revision ${at.revision} (${at.type}, event ${at.eventId}): ${at.reason}`;
  });
  const projects = streams - others - (catalogue ? 1 : 0);
  const parts = [
    `${projects} project stream${projects === 1 ? '' : 's'}`,
    ...(catalogue ? ['the product catalogue'] : []),
    ...(others > 0 ? [`${others} other stream${others === 1 ? '' : 's'}`] : []),
  ];
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  const checked = `Verified ${listed} (${events} events)`;
  lines.push(
    broken.length === 0
      ? `${checked}: every hash chain is intact.`
      : `${checked}: ${broken.length} broken. Events from the first broken revision on cannot be trusted.`,
  );
  return lines.join('\n') + '\n';
}

export function registerAuditCommands(program: Command, cli: CliContext): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');

  audit
    .command('verify')
    .description(
      're-compute the SHA-256 hash chain of every stream (projects, the catalogue, any other); ' +
        'exits with 1 when any chain is broken',
    )
    .argument('[projectId]', 'verify only this project (default: every project)')
    .action(async (projectId: string | undefined) => {
      const report = await withPlatform(cli, (platform) => verifyAuditTrail(platform, projectId));
      print(cli.stdout, formatAuditReport(report));
      if (report.broken.length > 0) cli.setExitCode(1);
    });
}
