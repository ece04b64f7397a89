import { given } from './decider-specification';
import { baselined, CO_1, projectOpened } from './project.fixture';

const { openedAt, ...opened } = projectOpened.data;
const reopen = { ...opened, type: 'OpenProject' as const, now: openedAt };
const moveToReady = { type: 'MoveCard' as const, now: '2026-03-02T08:00:00.000Z', cardId: 'C-1', to: 'ready' as const };

describe('a specification', () => {
  it('fails when the command produces other events', () => {
    expect(() => given(baselined).when(moveToReady).then([])).toThrow();
  });

  it('fails when a refusal was expected and the command succeeded', () => {
    expect(() => given(baselined).when(moveToReady).thenThrows('conflict')).toThrow(
      'Expected the command to be refused as conflict',
    );
  });

  it('fails when the refusal is of another kind, message or field', () => {
    const voidUnknown = {
      type: 'VoidChangeOrder' as const,
      now: '2026-03-02T08:00:00.000Z',
      changeOrderId: CO_1,
      reason: 'x',
    };
    expect(() => given([projectOpened]).when(reopen).thenThrows('invalid')).toThrow();
    expect(() => given([projectOpened]).when(reopen).thenThrows('conflict', 'no such words')).toThrow();
    expect(() => given(baselined).when(voidUnknown).thenThrows('not_found', 'not found', 'changeOrderId')).toThrow();
  });

  it('passes for the exact refusal', () => {
    given([projectOpened]).when(reopen).thenThrows('conflict', 'already exists');
  });
});
