import {
  decideStaff,
  foldStaff,
  initialStaffState,
  STAFF_SCHEMA_VERSIONS,
  STAFF_STREAM_ID,
  StaffCommand,
  StaffEvent,
  StaffState,
  toStaffEvent,
} from '@scope-ledger/domain';
import { EventStore } from '@scope-ledger/event-store';
import { LoadedStream, SingleStreamCommands, StreamOutcome } from './single-stream-commands';

export type LoadedStaff = LoadedStream<StaffState>;
export type StaffOutcome = StreamOutcome<StaffState, StaffEvent>;

/**
 * Staff users: the stream `staff`, folded in memory. Its expected revision settles races such as two people
 * sending the setup page at once: the second decides again on the first's owner and is refused.
 */
export class StaffCommands extends SingleStreamCommands<StaffState, StaffCommand, StaffEvent> {
  constructor(store: EventStore) {
    super(store, {
      streamId: STAFF_STREAM_ID,
      initialState: initialStaffState,
      decide: decideStaff,
      fold: foldStaff,
      toEvent: toStaffEvent,
      schemaVersionOf: (type) => STAFF_SCHEMA_VERSIONS[type],
    });
  }
}
