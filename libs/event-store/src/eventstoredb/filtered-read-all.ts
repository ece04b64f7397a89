/**
 * Reads of $all with a server-side filter.
 *
 * Why this file exists: the server has answered filtered $all reads since EventStoreDB 21.10,
 * but `@eventstore/db-client` 6.2.1 (its last release) only offers filters on subscriptions;
 * `readAll` always sends "no filter". Its successor `@kurrent/kurrentdb-client` takes
 * `readAll({ filter })`; moving to it makes this file unnecessary.
 *
 * Until then we build the same request `subscribeToAll` builds, with a count instead of a
 * subscription, and send it through the client's own stream helpers, so the connection,
 * credentials, decoding and error mapping stay the client's.
 */
import {
  BACKWARDS,
  END,
  EVENT_TYPE,
  START,
  type AllStreamResolvedEvent,
  type BaseOptions,
  type Direction,
  type EventStoreDBClient,
  type Filter,
  type ReadPosition,
} from '@eventstore/db-client';
import { ReadStream } from '@eventstore/db-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';

export interface FilteredReadOptions {
  readonly fromPosition: ReadPosition;
  readonly direction: Direction;
  readonly maxCount: number;
  readonly filter: Filter;
}

type ReadCall = ReturnType<StreamsClient['read']>;
type ReadArguments = Parameters<StreamsClient['read']>;

/** The protected helpers every command of the client is built on (see its Client class). */
interface ClientStreamHelpers {
  GRPCStreamCreator(
    grpcClient: typeof StreamsClient,
    debugName: string,
    creator: (streams: StreamsClient) => ReadCall,
  ): () => Promise<ReadCall>;
  callArguments(options: BaseOptions, callOptions: { deadline: number }): [ReadArguments[1], ReadArguments[2]];
}

export function readAllFiltered(
  client: EventStoreDBClient,
  options: FilteredReadOptions,
): AsyncIterable<AllStreamResolvedEvent> {
  const request = new ReadReq().setOptions(readOptions(options));
  const helpers = client as unknown as ClientStreamHelpers;
  const openCall = helpers.GRPCStreamCreator(StreamsClient, 'readAll', (streams) => {
    // Like the client's own reads: no deadline, the caller decides how long to read.
    const [metadata, callOptions] = helpers.callArguments({}, { deadline: Infinity });
    return streams.read(request, metadata, callOptions);
  });
  return new ReadStream<AllStreamResolvedEvent>(openCall, convertGrpcEvent, {});
}

function readOptions({ fromPosition, direction, maxCount, filter }: FilteredReadOptions): ReadReq.Options {
  const all = new ReadReq.Options.AllOptions();
  if (fromPosition === START) all.setStart(new Empty());
  else if (fromPosition === END) all.setEnd(new Empty());
  else {
    all.setPosition(
      new ReadReq.Options.Position()
        .setCommitPosition(fromPosition.commit.toString(10))
        .setPreparePosition(fromPosition.prepare.toString(10)),
    );
  }

  return new ReadReq.Options()
    .setAll(all)
    .setReadDirection(
      direction === BACKWARDS ? ReadReq.Options.ReadDirection.BACKWARDS : ReadReq.Options.ReadDirection.FORWARDS,
    )
    .setResolveLinks(false)
    .setCount(maxCount.toString(10))
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()))
    .setFilter(filterOptions(filter));
}

function filterOptions(filter: Filter): ReadReq.Options.FilterOptions {
  const expression = new ReadReq.Options.FilterOptions.Expression();
  if ('prefixes' in filter) expression.setPrefixList(filter.prefixes);
  if ('regex' in filter) expression.setRegex(filter.regex);

  const options = new ReadReq.Options.FilterOptions()
    // "count" makes maxCount count matching events, not events scanned.
    .setCount(new Empty())
    .setCheckpointintervalmultiplier(filter.checkpointInterval);
  return filter.filterOn === EVENT_TYPE ? options.setEventType(expression) : options.setStreamIdentifier(expression);
}
