import { randomUUID } from 'node:crypto';
import { EventOf, Person, projectStreamId } from '@scope-ledger/domain';
import { listOutbox, OutboxMessage } from '@scope-ledger/notifications';
import { CommandContext, newTokenNonce, ProjectCommands, signingToken, tokenSha256 } from '@scope-ledger/platform';
import { SIGNING_SECRET } from '../../apps/server/src/platform.token';
import type { TestServer } from '../support/test-server';

/** Drives a project to the point a test needs by appending domain events, as the API would. */

export const DOCUMENT_SHA256 = 'a1'.repeat(32);
const staff: CommandContext = { actor: { kind: 'staff', id: 'notifications-test', name: 'Notifications test' } };
const signerContext: CommandContext = {
  actor: { kind: 'signer', id: 'signing-link:test' },
  ip: '203.0.113.7',
  userAgent: 'jest',
};

export interface DraftedOrder {
  projectId: string;
  changeOrderId: string;
  signer: Person;
}

export interface IssuedOrder extends DraftedOrder {
  issued: EventOf<'ChangeOrderIssued'>['data'];
  issuedEventId: string;
}

export interface OrderOptions {
  projectName: string;
  signer: Person;
  manager?: Person;
  expiresInDays?: number;
  signingTokenNonce?: string;
  timeZone?: string;
}

/** A project with a baseline and one assessed request, and a draft order carrying it. */
export async function draftChangeOrder(t: TestServer, options: OrderOptions): Promise<DraftedOrder> {
  const projects = t.server.app.get(ProjectCommands);
  const projectId = randomUUID();
  const changeRequestId = randomUUID();
  const changeOrderId = randomUUID();
  const now = () => new Date().toISOString();
  await projects.execute(
    projectId,
    {
      type: 'OpenProject',
      now: now(),
      projectId,
      name: options.projectName,
      client: { name: 'Northwind Traders', email: 'it-lead@northwind.example' },
      ...(options.manager ? { manager: options.manager } : {}),
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      currency: 'USD',
      rates: { engineer: 15_000 },
      startDate: '2026-03-02',
      holidays: [],
    },
    staff,
  );
  await projects.execute(
    projectId,
    {
      type: 'EstablishBaseline',
      now: now(),
      items: [{ ref: 'SI-1', title: 'Migrate mailboxes', role: 'engineer', hours: 10 }],
      milestones: [{ ref: 'M1', name: 'Cut-over', due: '2026-04-10' }],
    },
    staff,
  );
  await projects.execute(
    projectId,
    {
      type: 'LogChangeRequest',
      now: now(),
      changeRequestId,
      title: 'Add conditional access',
      description: 'Asked for by email',
      source: 'email',
      requestedBy: { name: 'Dana Whitfield', email: 'dana@northwind.example' },
    },
    staff,
  );
  await projects.execute(
    projectId,
    {
      type: 'AssessChangeRequest',
      now: now(),
      changeRequestId,
      lines: [{ op: 'add', ref: 'SI-2', title: 'Conditional access baseline', role: 'engineer', hours: 6 }],
      schedule: [],
      noCharge: false,
    },
    staff,
  );
  await projects.execute(
    projectId,
    {
      type: 'DraftChangeOrder',
      now: now(),
      changeOrderId,
      changeRequestIds: [changeRequestId],
      signer: options.signer,
      expiresInDays: options.expiresInDays ?? 14,
      terms: 'Work starts within five working days of signature.',
    },
    staff,
  );
  return { projectId, changeOrderId, signer: options.signer };
}

export async function issueChangeOrder(t: TestServer, options: OrderOptions): Promise<IssuedOrder> {
  const { projectId, changeOrderId } = await draftChangeOrder(t, options);
  const projects = t.server.app.get(ProjectCommands);
  const secret = t.server.app.get<Buffer>(SIGNING_SECRET);
  const nonce = options.signingTokenNonce ?? newTokenNonce();
  const outcome = await projects.execute(
    projectId,
    {
      type: 'IssueChangeOrder',
      now: new Date().toISOString(),
      changeOrderId,
      documentSha256: DOCUMENT_SHA256,
      signingTokenSha256: tokenSha256(signingToken(secret, changeOrderId, nonce)),
      signingTokenNonce: nonce,
    },
    staff,
  );
  const issued = outcome.events[0] as EventOf<'ChangeOrderIssued'>;
  const stream = await t.server.platform.store.readStream(projectStreamId(projectId));
  return {
    projectId,
    changeOrderId,
    signer: options.signer,
    issued: issued.data,
    issuedEventId: stream[stream.length - 1].id,
  };
}

/** The signer's steps through the link: the page served, consent given, then the signature. */
export async function signChangeOrder(t: TestServer, order: IssuedOrder): Promise<void> {
  const commands = t.server.app.get(ProjectCommands);
  const { projectId, changeOrderId } = order;
  const client = { ip: '203.0.113.7', userAgent: 'jest' };
  const view = { type: 'RecordChangeOrderView' as const, now: new Date().toISOString(), changeOrderId };
  await commands.execute(projectId, view, signerContext);
  await commands.execute(
    projectId,
    {
      type: 'RecordSignerConsent',
      now: new Date().toISOString(),
      changeOrderId,
      disclosureVersion: 'esign-consent-1',
      disclosureSha256: 'c3'.repeat(32),
      ...client,
    },
    signerContext,
  );
  await commands.execute(
    projectId,
    {
      type: 'SignChangeOrder',
      now: new Date().toISOString(),
      changeOrderId: order.changeOrderId,
      name: order.signer.name,
      consent: true,
      documentSha256: DOCUMENT_SHA256,
      signature: 'typed',
      signedDocumentSha256: 'b2'.repeat(32),
      consentVersion: 'esign-consent-1',
      ip: '203.0.113.7',
      userAgent: 'jest',
    },
    signerContext,
  );
}

/** The signer opens the signing page at `now`; views an hour apart are each recorded. */
export async function viewChangeOrder(t: TestServer, order: DraftedOrder, now = new Date()): Promise<void> {
  const view = { type: 'RecordChangeOrderView' as const, now: now.toISOString(), changeOrderId: order.changeOrderId };
  await t.server.app.get(ProjectCommands).execute(order.projectId, view, signerContext);
}

/** The signer opens the signing page and withdraws consent to sign electronically: they want paper. */
export async function withdrawSignerConsent(t: TestServer, order: IssuedOrder): Promise<void> {
  await viewChangeOrder(t, order);
  const command = { type: 'WithdrawSignerConsent' as const, now: new Date().toISOString(), ip: '203.0.113.7' };
  await t.server.app
    .get(ProjectCommands)
    .execute(order.projectId, { ...command, changeOrderId: order.changeOrderId, userAgent: 'jest' }, signerContext);
}

/** Sends the order again as its next revision, with a new link. */
export async function reviseChangeOrder(t: TestServer, order: IssuedOrder): Promise<void> {
  const secret = t.server.app.get<Buffer>(SIGNING_SECRET);
  const nonce = newTokenNonce();
  await t.server.app
    .get(ProjectCommands)
    .execute(
      order.projectId,
      {
        type: 'ReviseChangeOrder',
        now: new Date().toISOString(),
        changeOrderId: order.changeOrderId,
        documentSha256: DOCUMENT_SHA256,
        signingTokenSha256: tokenSha256(signingToken(secret, order.changeOrderId, nonce)),
        signingTokenNonce: nonce,
      },
      staff,
    );
}

export async function voidChangeOrder(t: TestServer, order: DraftedOrder, reason: string): Promise<void> {
  const command = { type: 'VoidChangeOrder' as const, now: new Date().toISOString(), reason };
  await t.server.app
    .get(ProjectCommands)
    .execute(order.projectId, { ...command, changeOrderId: order.changeOrderId }, staff);
}

/** The expiry sweep noticing the order's time ran out. */
export async function expireChangeOrder(t: TestServer, order: IssuedOrder): Promise<void> {
  const command = { type: 'ExpireChangeOrder' as const, now: order.issued.expiresAt };
  await t.server.app
    .get(ProjectCommands)
    .execute(order.projectId, { ...command, changeOrderId: order.changeOrderId }, staff);
}

export async function declineChangeOrder(t: TestServer, order: IssuedOrder, reason: string): Promise<void> {
  await t.server.app
    .get(ProjectCommands)
    .execute(
      order.projectId,
      {
        type: 'DeclineChangeOrder',
        now: new Date().toISOString(),
        changeOrderId: order.changeOrderId,
        reason,
        ip: '203.0.113.7',
        userAgent: 'jest',
      },
      signerContext,
    );
}

/** Resolves once the event processor, and with it the outbox reactor, has handled every event this server wrote. */
export async function notificationsCaughtUp(t: TestServer, timeoutMs = 10_000): Promise<void> {
  const written = t.server.app.get(ProjectCommands).lastWrittenPosition;
  if (written) await t.server.platform.processor.waitFor(written, timeoutMs);
}

/** The outbox rows of one order, oldest first. */
export async function outboxOf(t: TestServer, changeOrderId: string): Promise<OutboxMessage[]> {
  return (await listOutbox(t.server.platform.sql, { changeOrderId })).reverse();
}

/** The token at the end of a signing link in a message's text. */
export function signingTokenIn(text: string, publicUrl: string): string | undefined {
  const escaped = publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${escaped}/sign/([A-Za-z0-9_-]{43})`).exec(text)?.[1];
}

/** Polls until `probe` answers something, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
