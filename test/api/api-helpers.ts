import type { Response } from 'supertest';
import type { TestServer } from '../support/test-server';

/** Helpers shared by the API suites: problem documents, the stream head and small waits. */

export interface FieldError {
  field: string;
  message: string;
}

/**
 * Asserts an RFC 9457 problem answer: the status, the media type, a human `detail` and,
 * when `field` is given, a field error naming it.
 */
export function expectProblem(response: Response, status: number, field?: string): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status } });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(typeof response.body.title).toBe('string');
  expect(typeof response.body.detail).toBe('string');
  expect(response.body.detail.length).toBeGreaterThan(0);
  if (field !== undefined) {
    expect(Array.isArray(response.body.errors)).toBe(true);
    expect((response.body.errors as FieldError[]).map((e) => e.field)).toContain(field);
  }
}

export interface StreamHead {
  count: number;
  lastHash: string | null;
  lastRevision: number;
}

/** The audit trail's length and last hash: what a refused command must leave untouched. */
export async function streamHead(t: TestServer, projectId: string): Promise<StreamHead> {
  const response = await t.api.get(`/api/projects/${projectId}/events`).expect(200);
  const events = response.body as { revision: number; hash: string | null }[];
  const last = events[events.length - 1];
  return { count: events.length, lastHash: last?.hash ?? null, lastRevision: last?.revision ?? -1 };
}

/**
 * Runs a command that must be refused and checks the stream did not move.
 * Returns the refusal for further checks.
 */
export async function expectRefusedWithoutAppend(
  t: TestServer,
  projectId: string,
  send: () => Promise<Response>,
  status: number,
  field?: string,
): Promise<Response> {
  const before = await streamHead(t, projectId);
  const response = await send();
  expectProblem(response, status, field);
  expect(await streamHead(t, projectId)).toEqual(before);
  return response;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A timestamp strictly between two commands: wait, read the clock, wait again. */
export async function momentBetween(ms = 15): Promise<string> {
  await sleep(ms);
  const moment = new Date().toISOString();
  await sleep(ms);
  return moment;
}

export const client = { name: 'Northwind Traders', email: 'it-lead@northwind.example' };
export const requester = { name: 'Dana Whitfield', email: 'dana@northwind.example' };

/** A small project body for suites that do not care about the figures. */
export function smallProject(name: string) {
  return { name, client, currency: 'USD', rates: { engineer: 15000, architect: 21000 }, startDate: '2026-03-02' };
}

export const smallBaseline = {
  items: [
    { ref: 'NET-1', title: 'Firewall and VPN configuration', role: 'engineer', hours: 16.25, fixedCost: 89900 },
    { ref: 'DOC-1', title: 'As-built documentation', role: 'architect', hours: 3.5 },
  ],
  milestones: [
    { ref: 'M1', name: 'Network live', due: '2026-03-20' },
    { ref: 'M2', name: 'Handover', due: '2026-04-01' },
  ],
};

export function changeRequest(title: string, source: 'email' | 'phone' | 'meeting' | 'ticket' | 'portal' = 'email') {
  return { title, description: `${title} (raised by the client)`, source, requestedBy: requester };
}
