import 'reflect-metadata';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Response } from 'express';
import { initialProjectState } from '@scope-ledger/domain';
import { CommandOutcome } from '@scope-ledger/platform';
import { commandAnswer } from './command-answer';

const response = () => new ServerResponse(new IncomingMessage(new Socket())) as unknown as Response;

function outcome(revision: bigint): CommandOutcome {
  return {
    state: initialProjectState,
    headHash: '0'.repeat(64),
    revision,
    position: { commit: 10n + revision, prepare: 10n + revision },
    events: [{ type: 'ChangeRequestLogged' }] as unknown as CommandOutcome['events'],
  };
}

describe('commandAnswer', () => {
  it('answers with the body, what was written and where, and the revision as ETag', () => {
    const res = response();
    expect(commandAnswer(res, outcome(4n), { id: 'cr-1', number: 5 })).toEqual({
      id: 'cr-1',
      number: 5,
      revision: 4,
      position: '14/14',
      events: ['ChangeRequestLogged'],
    });
    expect(res.getHeader('ETag')).toBe('"4"');
  });
});
