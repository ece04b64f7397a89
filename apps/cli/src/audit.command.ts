import { Command } from 'commander';
import { CATALOGUE_STREAM_ID, projectStreamId } from '@scope-ledger/domain';
import { ChainVerification, verifyChain } from '@scope-ledger/event-store';
import { Platform } from '@scope-ledger/platform';
import { CliContext, print, withPlatform } from './cli-context';
import { PROJECT_STREAMS, projectStreamIds } from './event-log';

export interface AuditReport {
  /** Streams verified: project streams and, when verifying everything, the product catalogue's. */
  streams: number;
  /** Whether the catalogue's chain was among them (it has none before its first product). */
  catalogue: boolean;
  events: number;
  /** Streams whose hash chain is broken, each with its first broken event. */
  broken: ChainVerification[];
}

/** Re-computes the hash chain of one project stream, or of every project stream and the product catalogue. */
export async function verifyAuditTrail(platform: Platform, projectId?: string): Promise<AuditReport> {
  const streamIds = projectId ? [streamIdOf(projectId)] : await projectStreamIds(platform);
  const catalogue = !projectId && (await platform.store.readStream(CATALOGUE_STREAM_ID)).length > 0;
  if (catalogue) streamIds.push(CATALOGUE_STREAM_ID);
  const report: AuditReport = { streams: 0, catalogue, events: 0, broken: [] };
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

function formatAuditReport({ streams, catalogue, events, broken }: AuditReport): string {
  const lines = broken.map(({ streamId, firstBreak }) => {
    const at = firstBreak!;
    return `BROKEN ${streamId} at revision ${at.revision} (${at.type}, event ${at.eventId}): ${at.reason}`;
  });
  const projects = catalogue ? streams - 1 : streams;
  const checked =
    `Verified ${projects} project stream${projects === 1 ? '' : 's'}${catalogue ? ' and the product catalogue' : ''}` +
    ` (${events} events)`;
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
      're-compute the SHA-256 hash chain of project streams and the catalogue; exits with 1 when any chain is broken',
    )
    .argument('[projectId]', 'verify only this project (default: every project)')
    .action(async (projectId: string | undefined) => {
      const report = await withPlatform(cli, (platform) => verifyAuditTrail(platform, projectId));
      print(cli.stdout, formatAuditReport(report));
      if (report.broken.length > 0) cli.setExitCode(1);
    });
}
