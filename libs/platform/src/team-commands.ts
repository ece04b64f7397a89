import {
  assignmentRefusal,
  decideTeam,
  foldTeam,
  initialTeamState,
  TEAM_SCHEMA_VERSIONS,
  TEAM_STREAM_ID,
  TeamCommand,
  TeamEvent,
  TeamState,
  toTeamEvent,
} from '@scope-ledger/domain';
import { EventStore, RecordedEvent } from '@scope-ledger/event-store';
import { CommandContext, CommandOutcome, ProjectCommands } from './project-commands';
import { LoadedStream, SingleStreamCommands, StreamOutcome } from './single-stream-commands';

export type LoadedTeam = LoadedStream<TeamState>;
export type TeamOutcome = StreamOutcome<TeamState, TeamEvent>;

/** The people who deliver the work, their time off and reactive work, in the stream `team`. */
export class TeamCommands extends SingleStreamCommands<TeamState, TeamCommand, TeamEvent> {
  constructor(store: EventStore) {
    super(store, {
      streamId: TEAM_STREAM_ID,
      initialState: initialTeamState,
      decide: decideTeam,
      fold: foldTeam,
      toEvent: toTeamEvent,
      schemaVersionOf: (type) => TEAM_SCHEMA_VERSIONS[type],
    });
  }
}

/** The team as its stream stood at a moment: its events up to then, folded. */
export function teamAsOf(events: readonly RecordedEvent[], asOf: string): TeamState {
  const limit = Date.parse(asOf);
  return foldTeam(
    events
      .filter((r) => Date.parse(r.metadata.occurredAt) <= limit)
      .flatMap((r) => {
        const event = toTeamEvent(r.type, r.data);
        return event ? [event] : [];
      }),
  );
}

/**
 * Gives a card to a person, or to no one (null): on the project's one command path, once the team stream says
 * the person is on the team. The project's decider cannot see other streams, so the check is made here.
 */
export async function assignBoardCard(
  team: TeamCommands,
  commands: ProjectCommands,
  projectId: string,
  command: { now: string; cardId: string; personId: string | null },
  context: CommandContext,
): Promise<CommandOutcome> {
  if (command.personId !== null) {
    const refusal = assignmentRefusal((await team.load()).state, command.personId);
    if (refusal) throw refusal;
  }
  return commands.execute(projectId, { type: 'AssignBoardCard', ...command }, context);
}
