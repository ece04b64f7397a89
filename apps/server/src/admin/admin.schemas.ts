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

export const CompanySettings = named(
  'CompanySettings',
  object({
    revision: integer,
    name: nullable(text),
    email: nullable(text),
    phone: nullable(text),
    address: nullable(text),
    logo: nullable(object({ sha256: text, mediaType: text, bytes: integer })),
    brandColour: nullable(text),
    paymentTerms: text,
    paymentTermsAreStandard: boolean,
    expiryDays: nullable(integer),
    tsaUrl: nullable(text),
    signerVerification: text,
    smtpHost: nullable(text),
    smtpPort: nullable(integer),
    smtpSecure: nullable(boolean),
    smtpUser: nullable(text),
    smtpPassword: oneOf('set', 'not set'),
    mailFrom: text,
    sendsEmail: boolean,
    fromEnvironment: list(text),
  }),
);

export const CompanySettingsChanged = named('CompanySettingsChanged', {
  allOf: [CompanySettings, object({ events: list(text), position: nullable(text) })],
});

export const TestEmailSent = named(
  'TestEmailSent',
  object({ sent: boolean, to: text, from: text, smtpResponse: text }, ['smtpResponse']),
);

export const StaffUserAnswer = named(
  'StaffUser',
  object({
    id,
    name: text,
    email: { type: 'string', format: 'email' },
    role,
    active: boolean,
    addedAt: dateTime,
    deactivatedAt: nullable(dateTime),
    password: { type: 'boolean', description: 'whether a password is set' },
    totp: { type: 'boolean', description: 'whether a one-time-password app is enrolled' },
    lastSignInAt: nullable(dateTime),
  }),
);

export const StaffUserAdded = named('StaffUserAdded', {
  allOf: [
    StaffUserAnswer,
    object({ passwordLink: { type: 'string', description: 'where the new user sets a password, once' } }),
  ],
});
