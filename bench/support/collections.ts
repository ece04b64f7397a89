import { PerformanceObserver } from 'node:perf_hooks';

/**
 * A garbage collection of this process: its kind (perf_hooks' NODE_PERFORMANCE_GC_*), start (ms since the epoch)
 * and pause.
 */
export interface Collection {
  readonly kind: number;
  readonly startedAt: number;
  readonly ms: number;
}

/** Calls `onCollection` for each garbage collection of this process until the returned function is called. */
export function observeCollections(onCollection: (collection: Collection) => void): () => void {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry.toJSON() as { detail?: { kind?: number } }).detail?.kind ?? 0;
      onCollection({ kind, startedAt: performance.timeOrigin + entry.startTime, ms: entry.duration });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
