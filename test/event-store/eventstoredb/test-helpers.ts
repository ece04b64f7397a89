import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../../libs/event-store/src/event-store.port';

export function changeRequestLogged(title: string): NewEvent {
  return {
    id: randomUUID(),
    type: 'ChangeRequestLogged',
    schemaVersion: 2,
    data: { title, source: 'email' },
    metadata: {
      actor: { kind: 'staff', id: 'key-1', name: 'Priya (PM)' },
      occurredAt: '2025-03-04T09:30:00.000Z',
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
  };
}

export function projectStream(): string {
  return `project-${randomUUID()}`;
}

/** Collects what a subscription's handler sees, and whether two batches ever overlapped. */
export class BatchRecorder<T> {
  readonly batches: T[][] = [];
  overlapped = false;
  private running = 0;

  constructor(private readonly handlerDelayMs = 0) {}

  get items(): T[] {
    return this.batches.flat();
  }

  readonly handle = async (batch: readonly T[]): Promise<void> => {
    this.running += 1;
    if (this.running > 1) this.overlapped = true;
    if (this.handlerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.handlerDelayMs));
    this.batches.push([...batch]);
    this.running -= 1;
  };
}

export function recordingLogger(): { warnings: string[]; warn(message: string): void } {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => void warnings.push(message) };
}
