import request from 'supertest';
import { chainEvents, EventMetadata } from '@scope-ledger/event-store';
import { issuedScenario, readAndConsent, signer } from '../change-orders/change-order-scenario';
import { startTestServer, TestServer } from '../support/test-server';

interface AuditEvent {
  revision: number;
  type: string;
  hash: string;
  data: Record<string, unknown>;
}

/**
 * Someone with database access edits history by hand: the audit verification names the first
 * event that no longer matches its hash. A signature records the chain's head at signing.
 */
describe('tamper evidence', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });

  async function signedProject(name: string) {
    const scenario = await issuedScenario(t, name);
    await readAndConsent(t.http, scenario.issued.signPath);
    await request(t.http)
      .post(scenario.issued.signPath)
      .send({ name: signer.name, documentSha256: scenario.issued.documentSha256 })
      .expect(200);
    const events = (await t.api.get(`/api/projects/${scenario.projectId}/events`).expect(200)).body as AuditEvent[];
    return { ...scenario, events };
  }

  const verify = async (projectId: string) =>
    (await t.api.get(`/api/projects/${projectId}/audit/verify`).expect(200)).body;
  const streamOf = (projectId: string) => `project-${projectId}`;

  it('verifies an untouched stream', async () => {
    const { projectId, events } = await signedProject('Tamper: untouched');
    expect(await verify(projectId)).toEqual({
      streamId: streamOf(projectId),
      events: events.length,
      valid: true,
      headHash: events[events.length - 1].hash,
      firstBreak: null,
    });
  });

  it('reports the first altered event when its data is changed by hand', async () => {
    const { projectId, events } = await signedProject('Tamper: altered data');
    const logged = events.find((e) => e.type === 'ChangeRequestLogged')!;
    // Quietly make the client's request look like something else.
    await t.database.sql.query(
      `UPDATE events SET data = jsonb_set(data, '{title}', '"Nothing was requested"') ` +
        `WHERE stream_id = $1 AND stream_revision = $2`,
      [streamOf(projectId), logged.revision],
    );
    const result = await verify(projectId);
    expect(result).toMatchObject({
      valid: false,
      firstBreak: {
        revision: logged.revision,
        type: 'ChangeRequestLogged',
        reason: 'the event content does not match its hash',
      },
    });
    // The hash the API shows is still the one written, so the change stands out.
    const now = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as AuditEvent[];
    expect(now[logged.revision].data.title).toBe('Nothing was requested');
    expect(now[logged.revision].hash).toBe(logged.hash);
  });

  it('reports a changed actor and a removed event', async () => {
    const actor = await signedProject('Tamper: actor');
    const assessed = actor.events.find((e) => e.type === 'ChangeRequestAssessed')!;
    await t.database.sql.query(
      `UPDATE events SET metadata = jsonb_set(metadata, '{actor,name}', '"Someone else"') ` +
        `WHERE stream_id = $1 AND stream_revision = $2`,
      [streamOf(actor.projectId), assessed.revision],
    );
    expect((await verify(actor.projectId)).firstBreak).toMatchObject({
      revision: assessed.revision,
      reason: 'the event content does not match its hash',
    });

    const removed = await signedProject('Tamper: removed');
    const issued = removed.events.find((e) => e.type === 'ChangeOrderIssued')!;
    await t.database.sql.query(`DELETE FROM events WHERE stream_id = $1 AND stream_revision = $2`, [
      streamOf(removed.projectId),
      issued.revision,
    ]);
    expect((await verify(removed.projectId)).firstBreak).toMatchObject({
      revision: issued.revision + 1,
      reason: `expected revision ${issued.revision}, found ${issued.revision + 1}`,
    });
  });

  it(
    'catches an edit whose own hash was recomputed at the next link; ' +
      'a rewritten tail no longer matches the head the signer holds',
    async () => {
      const { projectId, events } = await signedProject('Tamper: recomputed');
      const stream = streamOf(projectId);
      const drafted = events.find((e) => e.type === 'ChangeOrderDrafted')!;
      const signed = events.find((e) => e.type === 'ChangeOrderSigned')!;
      const quotedAtSigning = signed.data.streamHeadHash;

      /** Rewrites events from a revision on, each with a correct hash over its new content. */
      const rewrite = async (
        from: number,
        to: number,
        edit: (data: Record<string, unknown>) => Record<string, unknown>,
      ) => {
        const { rows } = await t.database.sql.query<{
          event_id: string;
          event_type: string;
          schema_version: number;
          data: Record<string, unknown>;
          metadata: EventMetadata;
          stream_revision: string;
        }>(
          `SELECT event_id::text AS event_id, event_type, schema_version, data, metadata, ` +
            `stream_revision::text AS stream_revision FROM events
         WHERE stream_id = $1 AND stream_revision BETWEEN $2 AND $3 ORDER BY stream_revision`,
          [stream, from, to],
        );
        let previous = rows[0].metadata.previousHash as string;
        for (const row of rows) {
          const data = Number(row.stream_revision) === from ? edit(row.data) : row.data;
          const [chained] = chainEvents(stream, previous, BigInt(row.stream_revision), [
            { id: row.event_id, type: row.event_type, schemaVersion: row.schema_version, data, metadata: row.metadata },
          ]);
          await t.database.sql.query(
            `UPDATE events SET data = $3::jsonb, metadata = $4::jsonb WHERE stream_id = $1 AND stream_revision = $2`,
            [stream, row.stream_revision, JSON.stringify(data), JSON.stringify(chained.metadata)],
          );
          previous = chained.metadata.hash as string;
        }
      };

      // The order's amount lowered, with a correct hash for that event alone: the next event's link breaks.
      await rewrite(drafted.revision, drafted.revision, (data) => ({ ...data, amount: 1 }));
      expect((await verify(projectId)).firstBreak).toMatchObject({
        revision: drafted.revision + 1,
        reason: 'the link to the previous event does not match',
      });

      // Rewriting every later event too makes the stream consistent again: only an outside
      // copy of a hash can tell. The signer's certificate quotes the head at signing.
      await rewrite(drafted.revision, events.length - 1, (data) => ({ ...data, amount: 1 }));
      expect((await verify(projectId)).valid).toBe(true);
      const now = (await t.api.get(`/api/projects/${projectId}/events`).expect(200)).body as AuditEvent[];
      expect(now[signed.revision - 1].hash).not.toBe(quotedAtSigning);
    },
  );

  it(
    'records in the signature the hash of the event just before it, ' + 'the head of the chain the signer saw',
    async () => {
      const { events } = await signedProject('Tamper: head at signing');
      const signed = events.find((e) => e.type === 'ChangeOrderSigned')!;
      expect(signed.data.streamHeadHash).toMatch(/^[0-9a-f]{64}$/);
      expect(signed.data.streamHeadHash).toBe(events[signed.revision - 1].hash);
    },
  );
});
