import { any, boolean, dateTime, id, integer, list, named, nullable, object, oneOf, text } from '../http/answers';

/** The answers of the admin and health routes. */

const role = oneOf('admin', 'pm', 'finance');

export const ApiKey = named(
  'ApiKey',
  object({
    id,
    name: text,
    role,
    createdAt: dateTime,
    revokedAt: nullable(dateTime),
    ownerUserId: nullable(id),
    lastUsedAt: nullable(dateTime),
  }),
);

export const CreatedApiKey = named('CreatedApiKey', {
  allOf: [ApiKey, object({ key: { type: 'string', description: 'the key itself, shown only now' }, note: text })],
});

export const ProjectionStatus = named(
  'ProjectionStatus',
  object({ active: boolean, checkpoint: text, head: text, lag: integer, lagCapped: boolean, parked: list(any) }),
);

export const RebuildStatus = named(
  'RebuildStatus',
  object({
    state: oneOf('idle', 'running', 'done', 'failed'),
    done: integer,
    total: integer,
    startedAt: nullable(dateTime),
    finishedAt: nullable(dateTime),
    error: nullable(text),
    events: nullable(integer),
    milliseconds: nullable(integer),
  }),
);

export const RebuildStarted = named('RebuildStarted', { allOf: [RebuildStatus, object({ statusUrl: text })] });

export const AuditReport = named('AuditReport', {
  type: 'object',
  required: ['broken', 'results'],
  properties: { broken: list(any), results: list(any) },
});

export const ParkedRetried = named('ParkedRetried', object({ retried: id }));

const component = object({ status: text }, []);
export const Health = named(
  'Health',
  object({
    status: oneOf('ok', 'degraded'),
    storage: text,
    eventStore: component,
    readModels: component,
    projections: object({ active: boolean, checkpoint: text }),
  }),
);

export const OutboxMessage = named(
  'OutboxMessage',
  object(
    {
      id: text,
      status: text,
      attempts: integer,
      lastError: nullable(text),
      nextAttemptAt: nullable(dateTime),
      createdAt: dateTime,
      sentAt: nullable(dateTime),
    },
    [],
  ),
);
