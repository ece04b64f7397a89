import type { Response } from 'express';
import { formatPosition } from '@scope-ledger/event-store';
import { CommandOutcome } from '@scope-ledger/platform';

/** The answer to a command: what it wrote and where, so the caller can read its own writes. */
export function commandAnswer(res: Response, outcome: CommandOutcome, body: object = {}) {
  res.setHeader('ETag', `"${outcome.revision}"`);
  return {
    ...body,
    revision: Number(outcome.revision),
    position: outcome.position ? formatPosition(outcome.position) : null,
    events: outcome.events.map((e) => e.type),
  };
}
