import { CATALOGUE_STREAM_ID, projectStreamId } from '@scope-ledger/domain';
import { ChainVerification, verifyChain } from '@scope-ledger/event-store';
import { PROJECT_STREAMS, streamIds } from './event-log';
import { Platform } from './platform';

export interface AuditReport {
  /** Streams verified: every stream in the store, or the one project's. */
  streams: number;
  /** Whether the product catalogue's chain was among them (it has none before its first product). */
  catalogue: boolean;
  /** Streams verified that are neither a project's nor the catalogue's. */
  others: number;
  events: number;
  /** Streams whose hash chain is broken, each with its first broken event. */
  broken: ChainVerification[];
  /** Every stream's verification, in stream order. */
  results: ChainVerification[];
}

/** Re-computes the hash chain of one project stream, or of every stream in the store (projects, catalogue, others). */
export async function verifyAuditTrail(platform: Platform, projectId?: string): Promise<AuditReport> {
  const ids = projectId ? [streamIdOf(projectId)] : await streamIds(platform);
  const report: AuditReport = { streams: 0, catalogue: false, others: 0, events: 0, broken: [], results: [] };
  for (const streamId of ids) {
    const events = await platform.store.readStream(streamId);
    if (events.length === 0) throw new Error(`No project ${projectId} in the event store`);
    const verification = verifyChain(streamId, events);
    report.streams += 1;
    report.events += events.length;
    if (streamId === CATALOGUE_STREAM_ID) report.catalogue = true;
    else if (!streamId.startsWith(PROJECT_STREAMS)) report.others += 1;
    report.results.push(verification);
    if (!verification.valid) report.broken.push(verification);
  }
  return report;
}

/** Accepts a project id or its stream id. */
function streamIdOf(projectId: string): string {
  return projectId.startsWith(PROJECT_STREAMS) ? projectId : projectStreamId(projectId);
}
