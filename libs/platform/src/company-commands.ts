import {
  COMPANY_SCHEMA_VERSIONS,
  COMPANY_STREAM_ID,
  CompanyCommand,
  CompanyEvent,
  CompanyState,
  decideCompany,
  foldCompany,
  initialCompanyState,
  toCompanyEvent,
} from '@scope-ledger/domain';
import { EventStore } from '@scope-ledger/event-store';
import { CommandContext, RevisionMismatchError } from './project-commands';
import { LoadedStream, SingleStreamCommands, StreamOutcome } from './single-stream-commands';

export type LoadedCompany = LoadedStream<CompanyState>;
export type CompanyOutcome = StreamOutcome<CompanyState, CompanyEvent>;

/** The company's name, contact, branding and defaults: the stream `company`, folded in memory. */
export class CompanyCommands extends SingleStreamCommands<CompanyState, CompanyCommand, CompanyEvent> {
  constructor(store: EventStore) {
    super(store, {
      streamId: COMPANY_STREAM_ID,
      initialState: initialCompanyState,
      decide: decideCompany,
      fold: foldCompany,
      toEvent: toCompanyEvent,
      schemaVersionOf: (type) => COMPANY_SCHEMA_VERSIONS[type],
    });
  }

  /** As any stream's, and an If-Match (the context's expected revision) that is not the stream's is refused. */
  override async execute(command: CompanyCommand, context: CommandContext): Promise<CompanyOutcome> {
    const { expectedRevision } = context;
    if (expectedRevision !== undefined) {
      const { revision } = await this.load();
      if (revision !== expectedRevision)
        throw new RevisionMismatchError(expectedRevision, revision, 'The company settings');
    }
    return super.execute(command, context);
  }
}
