/**
 * Translation between the protobuf messages the client ships (its generated code) and the
 * in-memory log, shaped the way EventStoreDB's own gRPC handlers shape them.
 */
import {
  AllStreamPosition,
  Empty as SharedEmpty,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion as SharedWrongExpectedVersion,
} from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import {
  AppendReq,
  AppendResp,
  BatchAppendReq,
  BatchAppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import type { AppendOutcome, EventMatcher, ExpectedState, LoggedEvent, ProposedEvent } from './in-memory-event-log';

export class BadRequest extends Error {}

export function streamName(identifier: StreamIdentifier | undefined): string {
  if (!identifier) throw new BadRequest('stream identifier missing');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

export function expectedFromAppend(options: AppendReq.Options): ExpectedState {
  const Case = AppendReq.Options.ExpectedStreamRevisionCase;
  switch (options.getExpectedStreamRevisionCase()) {
    case Case.ANY:
      return { kind: 'any' };
    case Case.NO_STREAM:
      return { kind: 'no_stream' };
    case Case.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    case Case.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    default:
      throw new BadRequest('expected stream revision missing');
  }
}

export function expectedFromBatchAppend(options: BatchAppendReq.Options): ExpectedState {
  const Case = BatchAppendReq.Options.ExpectedStreamPositionCase;
  switch (options.getExpectedStreamPositionCase()) {
    case Case.ANY:
      return { kind: 'any' };
    case Case.NO_STREAM:
      return { kind: 'no_stream' };
    case Case.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    case Case.STREAM_POSITION:
      return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
    default:
      throw new BadRequest('expected stream position missing');
  }
}

export function proposedEvent(message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage): ProposedEvent {
  const id = message.getId();
  const type = message.getMetadataMap().get('type');
  const contentType = message.getMetadataMap().get('content-type');
  if (!id?.hasString()) throw new BadRequest('event id missing');
  if (!type || !contentType) throw new BadRequest('type and content-type are required');
  return {
    id: id.getString(),
    type,
    contentType,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

export function appendResponse(outcome: AppendOutcome, expected: ExpectedState): AppendResp {
  if (outcome.written) {
    const position = new AppendResp.Position()
      .setCommitPosition(outcome.position.toString())
      .setPreparePosition(outcome.position.toString());
    return new AppendResp().setSuccess(
      new AppendResp.Success().setCurrentRevision(outcome.currentRevision.toString()).setPosition(position),
    );
  }
  // The server also fills the 20.6-era fields for old clients; this client reads these.
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.currentRevision === 'no_stream') wrong.setCurrentNoStream(new SharedEmpty());
  else wrong.setCurrentRevision(outcome.currentRevision.toString());
  if (expected.kind === 'any') wrong.setExpectedAny(new SharedEmpty());
  if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new SharedEmpty());
  if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new SharedEmpty());
  if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
  return new AppendResp().setWrongExpectedVersion(wrong);
}

export function batchAppendResponse(
  correlationId: UUID | undefined,
  stream: string,
  outcome: AppendOutcome,
  expected: ExpectedState,
): BatchAppendResp {
  const response = new BatchAppendResp().setCorrelationId(correlationId).setStreamIdentifier(streamIdentifier(stream));
  if (outcome.written) {
    const position = new AllStreamPosition()
      .setCommitPosition(outcome.position.toString())
      .setPreparePosition(outcome.position.toString());
    return response.setSuccess(
      new BatchAppendResp.Success().setCurrentRevision(outcome.currentRevision.toString()).setPosition(position),
    );
  }
  // As the server's Status.WrongExpectedVersion: ALREADY_EXISTS with the details packed in.
  const details = new SharedWrongExpectedVersion();
  if (outcome.currentRevision === 'no_stream') details.setCurrentNoStream(new Empty());
  else details.setCurrentStreamRevision(outcome.currentRevision.toString());
  if (expected.kind === 'any') details.setExpectedAny(new Empty());
  if (expected.kind === 'no_stream') details.setExpectedNoStream(new Empty());
  if (expected.kind === 'stream_exists') details.setExpectedStreamExists(new Empty());
  if (expected.kind === 'revision') details.setExpectedStreamPosition(expected.revision.toString());
  const packed = new Any();
  packed.pack(details.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  return response.setError(
    new Status().setCode(Code.ALREADY_EXISTS).setMessage('WrongExpectedVersion').setDetails(packed),
  );
}

export function eventResponse(event: LoggedEvent): ReadResp {
  const position = event.position.toString();
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(event.id))
    .setStreamIdentifier(streamIdentifier(event.streamId))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(position)
    .setPreparePosition(position)
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  recorded
    .getMetadataMap()
    .set('type', event.type)
    .set('created', event.createdTicks.toString())
    .set('content-type', event.contentType);
  return new ReadResp().setEvent(new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(position));
}

export function streamNotFoundResponse(stream: string): ReadResp {
  return new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(stream)));
}

export function confirmationResponse(subscriptionId: string): ReadResp {
  return new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId));
}

export function caughtUpResponse(): ReadResp {
  return new ReadResp().setCaughtUp(new ReadResp.CaughtUp());
}

/** The stream-name or event-type filter of a read or subscription of $all. */
export function eventMatcher(options: ReadReq.Options): EventMatcher {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter()!;
  const onStreamName = filter.hasStreamIdentifier();
  const expression = onStreamName ? filter.getStreamIdentifier() : filter.getEventType();
  if (!expression) throw new BadRequest('filter expression missing');
  const subject = (event: LoggedEvent) => (onStreamName ? event.streamId : event.type);
  const regex = expression.getRegex();
  if (regex) {
    const pattern = new RegExp(regex);
    return (event) => pattern.test(subject(event));
  }
  const prefixes = expression.getPrefixList();
  return (event) => prefixes.some((prefix) => subject(event).startsWith(prefix));
}

/** A $all position from a read request: a number, or the start or end marker. */
export function allPosition(options: ReadReq.Options): bigint | 'start' | 'end' {
  const all = options.getAll()!;
  if (all.hasStart()) return 'start';
  if (all.hasEnd()) return 'end';
  return BigInt(all.getPosition()!.getCommitPosition());
}
