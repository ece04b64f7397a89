import { Inject, Injectable } from '@nestjs/common';
import { comparePositions, Position } from '@scope-ledger/event-store';
import { Platform, ProjectRepository } from '@scope-ledger/platform';
import { PLATFORM } from '../platform.token';

/**
 * Read-your-writes: before a read, wait until the read models hold every event this process
 * wrote, the position the caller names (X-Min-Position), and everything visibly committed.
 */
@Injectable()
export class ReadConsistency {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly projects: ProjectRepository,
  ) {}

  async catchUp(minPosition?: Position): Promise<void> {
    const candidates = [
      this.projects.lastWrittenPosition,
      minPosition,
      await this.platform.store.headPosition(),
    ].filter((p): p is Position => p !== undefined);
    const target = candidates.reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b));
    await this.platform.runner.waitFor(target);
  }
}
