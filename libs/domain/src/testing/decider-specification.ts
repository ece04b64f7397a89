import { ProjectCommand } from '../project/commands';
import { decide } from '../project/decide';
import { ProjectEvent } from '../project/events';
import { foldEvents, ProjectState } from '../project/state';
import { DomainError, DomainErrorKind } from '../shared/domain-error';

/**
 * Given / When / Then for the project decider, read like Emmett's DeciderSpecification:
 *
 *   given([projectOpened]).when(establishBaseline).then([baselineEstablished, ...cards]);
 *   given([]).when(logChangeRequest).thenThrows('not_found', 'Project not found');
 */

export function stateAfter(events: readonly ProjectEvent[]): ProjectState {
  return foldEvents(events);
}

/**
 * Given / When / Then for any decider: `decide` answers a command on the state `fold` makes of the given events.
 * Each stream's specs take their `given` from here.
 */
export function deciderSpecification<Command, Event, State>(
  decideOn: (command: Command, state: State) => Event[],
  fold: (events: readonly Event[]) => State,
) {
  return function given(events: readonly Event[]) {
    return {
      when(command: Command) {
        const run = () => decideOn(command, fold(events));
        return {
          /** The command produces exactly these events; returns the state after them. */
          then(expected: readonly Event[]): State {
            const produced = run();
            expect(produced).toEqual(expected);
            return fold([...events, ...produced]);
          },
          /** The command is refused: no events, a DomainError of this kind, naming this field when given. */
          thenThrows(kind: DomainErrorKind, messageFragment?: string, field?: string): DomainError {
            let produced: Event[] | undefined;
            let error: unknown;
            try {
              produced = run();
            } catch (thrown) {
              error = thrown;
            }
            if (!(error instanceof DomainError)) {
              const outcome =
                error === undefined ? `it produced ${JSON.stringify(produced)}` : `it threw ${String(error)}`;
              throw new Error(`Expected the command to be refused as ${kind}, but ${outcome}`);
            }
            expect(error.kind).toBe(kind);
            if (messageFragment !== undefined) expect(error.message).toContain(messageFragment);
            if (field !== undefined) expect(error.field).toBe(field);
            return error;
          },
        };
      },
    };
  };
}

export const given = deciderSpecification<ProjectCommand, ProjectEvent, ProjectState>(decide, stateAfter);
