import { Command } from 'commander';
import { projectStreamId } from '@scope-ledger/domain';
import { ChainVerification, verifyChain } from '@scope-ledger/event-store';
import { Platform } from '@scope-ledger/platform';
import { CliContext, print, withPlatform } from './cli-context';
import { PROJECT_STREAMS, projectStreamIds } from './event-log';

export interface AuditReport {
  streams: number;
  events: number;
  /** Streams whose hash chain is broken, each with its first broken event. */
  broken: ChainVerification[];
}

/** Re-computes the hash chain of one project stream, or of every project stream. */
export async function verifyAuditTrail(platform: Platform, projectId?: string): Promise<AuditReport> {
  const streamIds = projectId ? [streamIdOf(projectId)] : await projectStreamIds(platform);
  const report: AuditReport = { streams: 0, events: 0, broken: [] };
  for (const streamId of streamIds) {
    const events = await platform.store.readStream(streamId);
    if (events.length === 0) throw new Error(`No project ${projectId} in the event store`);
    const verification = verifyChain(streamId, events);
    report.streams += 1;
    report.events += events.length;
    if (!verification.valid) report.broken.push(verification);
  }
  return report;
}

/** Accepts a project id or its stream id. */
function streamIdOf(projectId: string): string {
  return projectId.startsWith(PROJECT_STREAMS) ? projectId : projectStreamId(projectId);
}

function formatAuditReport({ streams, events, broken }: AuditReport): string {
  const lines = broken.map(({ streamId, firstBreak }) => {
    const at = firstBreak!;
    return `BROKEN ${streamId} at revision ${at.revision} (${at.type}, event ${at.eventId}): ${at.reason}`;
  });
  const checked = `Verified ${streams} project stream${streams === 1 ? '' : 's'} (${events} events)`;
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
    .description('re-compute the SHA-256 hash chain of project streams; exits with 1 when any chain is broken')
    .argument('[projectId]', 'verify only this project (default: every project)')
    .action(async (projectId: string | undefined) => {
      const report = await withPlatform(cli, (platform) => verifyAuditTrail(platform, projectId));
      print(cli.stdout, formatAuditReport(report));
      if (report.broken.length > 0) cli.setExitCode(1);
    });
}
