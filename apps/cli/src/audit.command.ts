import { Command } from 'commander';
import { CATALOGUE_STREAM_ID, COMPANY_STREAM_ID, STAFF_STREAM_ID, TEAM_STREAM_ID } from '@scope-ledger/domain';
import { AuditReport, verifyAuditTrail } from '@scope-ledger/platform';
import { CliContext, print, withPlatform } from './cli-context';

/** The streams beside the projects', in the words the audit report uses. */
const STREAM_NAMES = new Map([
  [CATALOGUE_STREAM_ID, 'the product catalogue'],
  [TEAM_STREAM_ID, 'the team'],
  [STAFF_STREAM_ID, 'the staff users'],
  [COMPANY_STREAM_ID, 'the company settings'],
]);

function formatAuditReport({ streams, catalogue, others, events, broken, results }: AuditReport): string {
  const lines = broken.map(({ streamId, firstBreak }) => {
    const at = firstBreak!;
    return `BROKEN ${streamId} at revision ${at.revision} (${at.type}, event ${at.eventId}): ${at.reason}`;
  });
  const projects = streams - others - (catalogue ? 1 : 0);
  const verified = new Set(results.map((r) => r.streamId));
  const named = [...STREAM_NAMES].filter(([streamId]) => verified.has(streamId)).map(([, name]) => name);
  const unnamed = streams - projects - named.length;
  const parts = [
    `${projects} project stream${projects === 1 ? '' : 's'}`,
    ...named,
    ...(unnamed > 0 ? [`${unnamed} other stream${unnamed === 1 ? '' : 's'}`] : []),
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
