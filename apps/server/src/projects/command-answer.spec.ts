import 'reflect-metadata';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Response } from 'express';
import { CommandReceipt } from '@scope-ledger/platform';
import { shareOneHiddenClass } from '../../../../test/support/hidden-classes';
import { commandAnswer } from './projects.controller';

const response = () => new ServerResponse(new IncomingMessage(new Socket())) as unknown as Response;

function receipt(revision: bigint): CommandReceipt {
  return {
    revision,
    position: { commit: 10n + revision, prepare: 10n + revision },
    events: [{ type: 'ChangeRequestLogged' }] as CommandReceipt['events'],
  };
}

describe('commandAnswer', () => {
  it('answers with the body, what was written and where, and the revision as ETag', () => {
    const res = response();
    expect(commandAnswer(res, receipt(4n), { id: 'cr-1', number: 5 })).toEqual({
      id: 'cr-1',
      number: 5,
      revision: 4,
      position: '14/14',
      events: ['ChangeRequestLogged'],
    });
    expect(res.getHeader('ETag')).toBe('"4"');
  });

  it('gives every answer of one kind one hidden class', () => {
    const answers = Array.from({ length: 40 }, (_, n) =>
      commandAnswer(response(), receipt(BigInt(n)), { id: `cr-${n}`, number: n }),
    );
    expect(shareOneHiddenClass(answers)).toBe(true);
  });
});
