import { SqlClient } from '@scope-ledger/event-store';
import {
  ApiKeysService,
  LAST_USED_RESOLUTION_MS,
  VERIFIED_KEY_TTL_MS,
} from '../../apps/server/src/auth/api-keys.service';
import { countingStatements } from '../support/counting-sql';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const counting = (sql: SqlClient) => countingStatements(sql, (text) => /FROM api_keys WHERE key_hash/.test(text));

/**
 * A verified key is remembered for a moment, so a busy client costs one key lookup a second
 * rather than one per request; revocation still takes effect at once on the server that
 * revokes, and within the remembered moment on any other.
 */
describe('remembered API keys', () => {
  let database: TestDatabase;
  let now: number;
  const clock = () => now;

  beforeEach(async () => {
    database = await createTestDatabase();
    now = Date.parse('2026-11-26T09:00:00Z');
    await new ApiKeysService(database.sql).prepare();
  });
  afterEach(async () => {
    await database.drop();
  });

  it("writes a key's last use once a minute however often it is used, also with two servers", async () => {
    const writes = countingStatements(database.sql, (text) => /UPDATE api_keys SET last_used_at/.test(text));
    const keys = new ApiKeysService(writes.sql, clock);
    const otherServer = new ApiKeysService(database.sql, clock);
    const { key, id } = await keys.create('Priya (PM)', 'pm');
    // Listed as ISO 8601 in UTC, as createdAt is: what GET /api/admin/api-keys answers.
    const lastUsed = async () => (await keys.list()).find((k) => k.id === id)!.lastUsedAt;
    expect(await lastUsed()).toBeNull();

    // 09:00:00: the first use is written; 40 more over the next 59 seconds are not.
    await keys.verify(key);
    for (let i = 0; i < 40; i++) {
      now += 1_475;
      await keys.verify(key);
    }
    expect(writes.count()).toBe(1);
    expect(await lastUsed()).toBe('2026-11-26T09:00:00.000Z');
    // Another server using the key within that minute changes nothing either.
    await otherServer.verify(key);
    expect(await lastUsed()).toBe('2026-11-26T09:00:00.000Z');

    // 09:01:00.000, a minute after the first: written again.
    now = Date.parse('2026-11-26T09:00:00Z') + LAST_USED_RESOLUTION_MS;
    await keys.verify(key);
    expect(writes.count()).toBe(2);
    expect(await lastUsed()).toBe('2026-11-26T09:01:00.000Z');
  });

  it('looks a key up once for many requests within a second, and again after', async () => {
    const db = counting(database.sql);
    const keys = new ApiKeysService(db.sql, clock);
    const { key } = await keys.create('Priya (PM)', 'pm');
    for (let i = 0; i < 20; i++) expect(await keys.verify(key)).toMatchObject({ name: 'Priya (PM)', role: 'pm' });
    expect(db.count()).toBe(1);
    now += VERIFIED_KEY_TTL_MS + 1;
    expect(await keys.verify(key)).toMatchObject({ role: 'pm' });
    expect(db.count()).toBe(2);
  });

  it('looks a key up once when many requests arrive together after the remembered second', async () => {
    const db = counting(database.sql);
    const keys = new ApiKeysService(db.sql, clock);
    const { key } = await keys.create('Priya (PM)', 'pm');
    const together = await Promise.all(Array.from({ length: 25 }, () => keys.verify(key)));
    expect(together.every((staff) => staff?.name === 'Priya (PM)')).toBe(true);
    expect(db.count()).toBe(1);
    now += VERIFIED_KEY_TTL_MS + 1;
    await Promise.all(Array.from({ length: 25 }, () => keys.verify(key)));
    expect(db.count()).toBe(2);
    // Unknown keys share a lookup too, and are still not remembered.
    expect(await Promise.all([keys.verify('sl_unknown'), keys.verify('sl_unknown')])).toEqual([undefined, undefined]);
    expect(db.count()).toBe(3);
    expect(await keys.verify('sl_unknown')).toBeUndefined();
    expect(db.count()).toBe(4);
  });

  it('refuses a key at once once this server revokes it', async () => {
    const keys = new ApiKeysService(database.sql, clock);
    const created = await keys.create('Finance desk', 'finance');
    expect(await keys.verify(created.key)).toBeDefined();
    expect(await keys.revoke(created.id)).toBe(true);
    expect(await keys.verify(created.key)).toBeUndefined();
  });

  it('refuses a key revoked by another process within the remembered second', async () => {
    const server = new ApiKeysService(database.sql, clock);
    const cli = new ApiKeysService(database.sql, clock);
    const created = await cli.create('Contractor', 'pm');
    expect(await server.verify(created.key)).toBeDefined();
    expect(await cli.revoke(created.id)).toBe(true);
    now += VERIFIED_KEY_TTL_MS + 1;
    expect(await server.verify(created.key)).toBeUndefined();
  });

  it('never remembers an unknown key: one created meanwhile works at once', async () => {
    const db = counting(database.sql);
    const server = new ApiKeysService(db.sql, clock);
    expect(await server.verify('sl_not_yet_created_0123456789')).toBeUndefined();
    await new ApiKeysService(database.sql, clock).create('Late arrival', 'pm', 'sl_not_yet_created_0123456789');
    expect(await server.verify('sl_not_yet_created_0123456789')).toMatchObject({ name: 'Late arrival' });
    expect(db.count()).toBe(2);
  });

  it('does not remember an answer read while a revocation ran', async () => {
    // The lookup reads the key as live, then its answer is held back until the revocation is done.
    let releaseLookup!: () => void;
    const held = new Promise<void>((resolve) => (releaseLookup = resolve));
    const slow: SqlClient = Object.create(database.sql);
    slow.query = async (text, params) => {
      const result = await database.sql.query(text, params);
      if (/FROM api_keys WHERE key_hash/.test(text)) await held;
      return result as never;
    };
    const keys = new ApiKeysService(slow, clock);
    const created = await keys.create('Racing', 'pm');
    const verifying = keys.verify(created.key);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await keys.revoke(created.id)).toBe(true);
    // A request arriving after the revocation does not wait for the lookup that began before it.
    const afterRevocation = keys.verify(created.key);
    releaseLookup();
    expect(await verifying).toBeDefined(); // it began before the revocation
    expect(await afterRevocation).toBeUndefined();
    expect(await keys.verify(created.key)).toBeUndefined();
  });
});
