/**
 * Moves only the clock to `now` (epoch ms): Date reads the new time, while timers, ticks and I/O stay real, so a
 * server under test keeps running. Undo with `jest.useRealTimers()`.
 */
export function moveClockTo(now: number): void {
  jest.useFakeTimers({
    now,
    advanceTimers: true,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}
