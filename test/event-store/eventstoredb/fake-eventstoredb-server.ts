/**
 * An in-process gRPC server that answers the calls the EventStoreDB adapter makes, built from
 * the service definitions shipped inside `@eventstore/db-client`. The real client encodes,
 * decodes and maps errors end to end against it; it is not EventStoreDB.
 *
 * Serves: Streams.Read (stream reads; $all reads forwards and backwards; filtered $all
 * subscriptions: confirmation, catch-up, caught-up, live), Streams.Append, and, when asked to
 * advertise it through ServerFeatures, Streams.BatchAppend (what real servers since 21.10 offer).
 */
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  ReadReq,
  type AppendReq,
  type AppendResp,
  type BatchAppendReq,
  type BatchAppendResp,
  type ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
import { InMemoryEventLog, type ExpectedState, type LoggedEvent, type ProposedEvent } from './in-memory-event-log';
import {
  BadRequest,
  allPosition,
  appendResponse,
  batchAppendResponse,
  caughtUpResponse,
  confirmationResponse,
  eventMatcher,
  eventResponse,
  expectedFromAppend,
  expectedFromBatchAppend,
  proposedEvent,
  streamName,
  streamNotFoundResponse,
} from './wire-messages';

export interface FakeServerOptions {
  /** Where the log's positions begin; above 2^53 to prove positions never pass through a double. */
  readonly firstPosition?: bigint;
  /** Answer ServerFeatures with BatchAppend, so the client appends the way it does on real servers. */
  readonly advertiseBatchAppend?: boolean;
}

type SubscriptionCall = grpc.ServerWritableStream<ReadReq, ReadResp>;

export class FakeEventStoreDbServer {
  readonly log: InMemoryEventLog;
  /** Where each $all subscription asked to start, in order. */
  readonly subscriptionStarts: Array<bigint | 'start' | 'end'> = [];
  /** While set, new subscriptions are refused as if the server were unavailable. */
  refuseSubscriptions = false;

  private readonly server = new grpc.Server();
  private readonly subscriptions = new Set<SubscriptionCall>();
  private port = 0;

  private constructor(private readonly options: FakeServerOptions) {
    this.log = new InMemoryEventLog(options.firstPosition ?? 0n);
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeEventStoreDbServer> {
    const fake = new FakeEventStoreDbServer(options);
    fake.server.addService(StreamsService, {
      read: (call: SubscriptionCall) => fake.read(call),
      append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, done: grpc.sendUnaryData<AppendResp>) =>
        fake.append(call, done),
      ...(options.advertiseBatchAppend && {
        batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => fake.batchAppend(call),
      }),
    });
    if (options.advertiseBatchAppend) {
      fake.server.addService(ServerFeaturesService, {
        getSupportedMethods: (_call: unknown, done: grpc.sendUnaryData<SupportedMethods>) =>
          done(null, supportedMethods()),
      });
    }
    fake.port = await new Promise<number>((resolve, reject) =>
      fake.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    // A fresh EventStoreDB already holds system events; readers must step over them.
    fake.writeSystemEvent('$settings', '$settings');
    return fake;
  }

  get connectionString(): string {
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  /** Writes to a `$` stream, as the server does for its own bookkeeping. */
  writeSystemEvent(stream: string, type: string): LoggedEvent {
    const event: ProposedEvent = {
      id: randomUUID(),
      type,
      contentType: 'application/json',
      data: Buffer.from('{}'),
      metadata: new Uint8Array(),
    };
    this.log.append(stream, { kind: 'any' }, [event]);
    return this.log.eventsAfter('start', (logged) => logged.id === event.id)[0];
  }

  /** Ends every open subscription with an error, as a restarting or overloaded node would. */
  dropSubscriptions(): void {
    for (const call of this.subscriptions) {
      call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'Subscription dropped by the test server' });
    }
    this.subscriptions.clear();
  }

  get openSubscriptions(): number {
    return this.subscriptions.size;
  }

  async stop(): Promise<void> {
    this.dropSubscriptions();
    this.server.forceShutdown();
  }

  private read(call: SubscriptionCall): void {
    try {
      const options = call.request.getOptions();
      if (!options?.getUuidOption()?.hasString()) throw new BadRequest('only string UUIDs are served');
      if (options.hasStream()) return this.readStream(call, options);
      if (options.hasAll() && options.hasSubscription()) return this.subscribeToAll(call, options);
      if (options.hasAll()) return this.readAll(call, options);
      throw new BadRequest('unsupported read');
    } catch (error) {
      call.emit('error', asStatus(error));
    }
  }

  private readStream(call: SubscriptionCall, options: ReadReq.Options): void {
    const streamOptions = options.getStream()!;
    const stream = streamName(streamOptions.getStreamIdentifier());
    if (options.getReadDirection() !== ReadReq.Options.ReadDirection.FORWARDS || streamOptions.hasEnd()) {
      throw new BadRequest('only forward stream reads are served');
    }
    const from = streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : 0n;
    const events = this.log.readStream(stream, from, BigInt(options.getCount()));
    if (!events) call.write(streamNotFoundResponse(stream));
    else for (const event of events) call.write(eventResponse(event));
    call.end();
  }

  private readAll(call: SubscriptionCall, options: ReadReq.Options): void {
    const from = allPosition(options);
    const count = BigInt(options.getCount());
    const matches = eventMatcher(options);
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    if (backwards && from === 'start') throw new BadRequest('nothing lies before the start');
    if (!backwards && from === 'end') return void call.end();
    const events = backwards
      ? this.log.readBackwards(from as bigint | 'end', count, matches)
      : this.log.readForwards(from as bigint | 'start', count, matches);
    for (const event of events) call.write(eventResponse(event));
    call.end();
  }

  private subscribeToAll(call: SubscriptionCall, options: ReadReq.Options): void {
    if (this.refuseSubscriptions) {
      return void call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'Server is not ready' });
    }
    const from = allPosition(options);
    const matches = eventMatcher(options);
    this.subscriptionStarts.push(from);
    this.subscriptions.add(call);

    call.write(confirmationResponse(randomUUID()));
    for (const event of this.log.eventsAfter(from, matches)) call.write(eventResponse(event));
    call.write(caughtUpResponse());
    // Catch-up and registration happen in one turn of the event loop: nothing falls between.
    const unlisten = this.log.onAppended((event) => {
      if (matches(event) && this.subscriptions.has(call)) call.write(eventResponse(event));
    });
    const forget = () => {
      unlisten();
      this.subscriptions.delete(call);
    };
    call.on('cancelled', forget);
    call.on('close', forget);
    call.on('finish', forget);
  }

  private append(call: grpc.ServerReadableStream<AppendReq, AppendResp>, done: grpc.sendUnaryData<AppendResp>): void {
    let stream: string | undefined;
    let expected: ExpectedState | undefined;
    const proposed: ProposedEvent[] = [];
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      done(asStatus(error));
    };

    // The client sends the options first, then one message per event.
    call.on('data', (request: AppendReq) => {
      try {
        if (request.hasOptions()) {
          stream = streamName(request.getOptions()!.getStreamIdentifier());
          expected = expectedFromAppend(request.getOptions()!);
        } else if (request.hasProposedMessage()) {
          if (stream === undefined) throw new BadRequest('options must come first');
          proposed.push(proposedEvent(request.getProposedMessage()!));
        }
      } catch (error) {
        fail(error);
      }
    });
    call.on('end', () => {
      if (failed) return;
      if (stream === undefined || !expected) return fail(new BadRequest('append without options'));
      done(null, appendResponse(this.log.append(stream, expected, proposed), expected));
    });
  }

  private batchAppend(call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
    const pending = new Map<string, { stream: string; expected: ExpectedState; proposed: ProposedEvent[] }>();
    call.on('data', (request: BatchAppendReq) => {
      try {
        const correlation = request.getCorrelationId();
        const key = correlation?.getString() ?? '';
        const options = request.getOptions();
        if (options) {
          const stream = streamName(options.getStreamIdentifier());
          pending.set(key, { stream, expected: expectedFromBatchAppend(options), proposed: [] });
        }
        const write = pending.get(key);
        if (!write) throw new BadRequest('batch without options');
        write.proposed.push(...request.getProposedMessagesList().map(proposedEvent));
        if (!request.getIsFinal()) return;
        pending.delete(key);
        const outcome = this.log.append(write.stream, write.expected, write.proposed);
        call.write(batchAppendResponse(correlation, write.stream, outcome, write.expected));
      } catch (error) {
        call.emit('error', asStatus(error));
      }
    });
    call.on('end', () => call.end());
  }
}

function supportedMethods(): SupportedMethods {
  const streams = 'event_store.client.streams.Streams';
  const methods = ['Read', 'Append', 'BatchAppend'].map((name) =>
    new SupportedMethod().setServiceName(streams).setMethodName(name),
  );
  return new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion('in-process test server');
}

function asStatus(error: unknown): Partial<grpc.StatusObject> {
  if (error instanceof BadRequest) return { code: grpc.status.INVALID_ARGUMENT, details: error.message };
  return { code: grpc.status.INTERNAL, details: error instanceof Error ? error.message : String(error) };
}
