import request, { Response } from 'supertest';
import { expectProblem, FieldError, streamHead, StreamHead } from '../api/api-helpers';
import {
  baselineBody,
  issuedScenario,
  projectBody,
  readAndConsent,
  requests,
  signer,
} from '../change-orders/change-order-scenario';
import { ADMIN_KEY, startTestServer, TestServer } from '../support/test-server';
import { ACTIVE_MARKUP, markup, markupOrder } from './markup-scenario';
import { drawnSignaturePng } from '../../libs/documents/src/testing/png.fixture';

/**
 * Every staff and signing route, sent what careless or hostile clients send: broken JSON,
 * wrong types, missing and unknown fields, empty and huge strings, control characters and
 * odd Unicode, impossible numbers and dates, oversized bodies. Each is answered with a 4xx
 * problem naming the field at fault, never a 500, and the projects' streams do not move.
 */

/** Stands for a JSON number literal no JavaScript value serialises to (1e309 overflows to Infinity). */
const RAW_1E309 = '__raw_1e309__';
const LONE_SURROGATE = '\ud800';

type Path = (string | number)[];
type Body = Record<string, unknown>;

interface Case {
  label: string;
  /** An object (JSON-encoded, RAW_1E309 placed as a bare literal) or raw bytes to send as is. */
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  status?: number;
  /** The field the answer must name. */
  field?: string;
}

const fieldName = (path: Path) =>
  path.reduce<string>((name, p) => (typeof p === 'number' ? `${name}[${p}]` : name ? `${name}.${p}` : p), '');

function withValue(body: Body, path: Path, value: unknown): Body {
  const copy = structuredClone(body);
  let target = copy as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) target = target[p] as Record<string | number, unknown>;
  target[path[path.length - 1]] = value;
  return copy;
}

function without(body: Body, path: Path): Body {
  const copy = structuredClone(body);
  let target = copy as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) target = target[p] as Record<string | number, unknown>;
  delete target[path[path.length - 1]];
  return copy;
}

type FieldKind =
  | { kind: 'text'; max: number; notEmpty?: boolean }
  | { kind: 'ref' }
  | { kind: 'email' }
  | { kind: 'money' }
  | { kind: 'hours' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'enum' }
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'uuids' }
  | { kind: 'object' }
  | { kind: 'array' };

interface FieldSpec {
  path: Path;
  required?: boolean;
  is: FieldKind;
  /** The field the answer names when it is not the path itself (a map entry names its map). */
  reportedAs?: string;
}

/**
 * Wrong values for a kind of field; each must be refused naming the field. (null in an
 * optional field means "not given" and is accepted; it is dropped for those below.)
 */
function wrongValues(is: FieldKind): [string, unknown][] {
  const notText: [string, unknown][] = [
    ['a number', 42],
    ['a list', ['x']],
    ['an object', { text: 'x' }],
    ['null', null],
  ];
  switch (is.kind) {
    case 'text':
      return [
        ...notText,
        ...(is.notEmpty ? ([['empty', '']] as [string, unknown][]) : []),
        ['one character too long', 'x'.repeat(is.max + 1)],
        ['very long', 'x'.repeat(200_000)],
        ['a bell control character', 'ring\u0007ring'],
        ['a NUL character', 'nul\u0000nul'],
        ['an escape sequence', '\u001b[31mred'],
        ['a right-to-left override', 'invoice\u202Efdp.exe'],
        ['a lone surrogate', `broken ${LONE_SURROGATE} text`],
      ];
    case 'ref':
      return [
        ...notText,
        ['empty', ''],
        ['spaces', 'A B'],
        ['too long', 'R'.repeat(41)],
        ['markup', '<b>R</b>'],
        ['a lone surrogate', LONE_SURROGATE],
      ];
    case 'email':
      return [
        ...notText,
        ['not an address', 'dana at example'],
        ['empty', ''],
        ['too long', `${'a'.repeat(320)}@x.example`],
        ['a lone surrogate', `d${LONE_SURROGATE}@x.example`],
      ];
    case 'money':
      return [
        ['negative', -1],
        ['a fraction of a cent', 10.5],
        ['"NaN"', 'NaN'],
        ['"Infinity"', 'Infinity'],
        ['"1e309" as text', '1e309'],
        ['1e309 (overflows to Infinity)', RAW_1E309],
        ['beyond the safe integers', 2 ** 53],
        ['1e300', 1e300],
        ['text digits', '1500'],
        ['null', null],
        ['a boolean', true],
      ];
    case 'hours':
      return [
        ['negative', -1],
        ['three decimals', 1.125],
        ['"NaN"', 'NaN'],
        ['"Infinity"', 'Infinity'],
        ['1e309 (overflows to Infinity)', RAW_1E309],
        ['more than 100,000', 100000.01],
        ['text digits', '2.5'],
        ['null', null],
      ];
    case 'date':
      return [
        ['30 February', '2026-02-30'],
        ['29 February of a common year', '2027-02-29'],
        ['month 13', '2026-13-01'],
        ['US style', '03/02/2026'],
        ['a timestamp', '2026-03-02T00:00:00Z'],
        ['empty', ''],
        ['a number', 20260302],
        ['year 10000', '10000-01-01'],
      ];
    case 'timestamp':
      return [
        ['without a time zone', '2026-03-04T09:15:00'],
        ['on 30 February', '2026-02-30T09:00:00Z'],
        ['a word', 'yesterday'],
        ['a number', 1772615700000],
      ];
    case 'enum':
      return [
        ['unknown', 'fax'],
        ['a number', 1],
        ['null', null],
        ['empty', ''],
      ];
    case 'boolean':
      return [
        ['"yes"', 'yes'],
        ['1', 1],
        ['"true"', 'true'],
      ];
    case 'integer':
      return [
        ['a fraction', 1.5],
        ['too small', is.min - 1],
        ['too large', is.max + 1],
        ['text digits', '3'],
        ['"NaN"', 'NaN'],
        ['1e309', RAW_1E309],
      ];
    case 'uuids':
      return [
        ['not UUIDs', ['CR-1']],
        ['text', 'CR-1'],
        ['empty', []],
        ['a list of numbers', [1, 2]],
      ];
    case 'object':
      return [
        ['text', 'Dana'],
        ['a list', []],
        ['a number', 7],
        ['null', null],
      ];
    case 'array':
      return [
        ['text', 'x'],
        ['an object', { 0: 'x' }],
        ['null', null],
      ];
  }
}

function casesFor(valid: Body, fields: FieldSpec[], unknownFieldAt: Path[] = [[]]): Case[] {
  const cases: Case[] = [];
  for (const spec of fields) {
    const name = fieldName(spec.path);
    const field = spec.reportedAs ?? name;
    if (spec.required) cases.push({ label: `${name} missing`, body: without(valid, spec.path), field });
    for (const [label, value] of wrongValues(spec.is)) {
      if (value === null && !spec.required) continue;
      cases.push({ label: `${name} ${label}`, body: withValue(valid, spec.path, value), field });
    }
  }
  for (const at of unknownFieldAt) {
    const name = fieldName([...at, 'discount']);
    cases.push({ label: `unknown field ${name}`, body: withValue(valid, [...at, 'discount'], 10), field: name });
  }
  return cases;
}

/** What any body route must survive, whatever its fields. */
function bodyCases(): Case[] {
  const deep = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const deepObject = `{"name":${'{"x":'.repeat(3000)}1${'}'.repeat(3000)}}`;
  return [
    { label: 'malformed JSON', body: Buffer.from('{"name": "Broken",'), status: 400 },
    { label: 'a JSON string', body: Buffer.from('"text"'), status: 400 },
    { label: 'JSON null', body: Buffer.from('null'), status: 400 },
    { label: 'a JSON list', body: Buffer.from('[]'), status: 400 },
    { label: 'a list of objects', body: Buffer.from('[{}]'), status: 400 },
    { label: 'an empty object', body: {} },
    { label: 'an empty body', body: Buffer.from('') },
    {
      label: 'prototype pollution',
      body: Buffer.from('{"__proto__": {"admin": true}, "constructor": {"prototype": {"admin": true}}}'),
      field: '__proto__',
    },
    { label: 'lists nested 5,000 deep', body: Buffer.from(deep) },
    { label: 'objects nested 3,000 deep', body: Buffer.from(deepObject) },
    { label: 'a body over the 1 MB limit', body: { note: 'x'.repeat(1_100_000) }, status: 413 },
    {
      label: 'a body in UTF-16 without a byte order mark',
      body: Buffer.from('{"a":1}', 'utf16le'),
      contentType: 'application/json; charset=utf-16',
    },
    {
      label: 'a body in Latin-1',
      body: Buffer.from('{"a":"\u00e9"}', 'latin1'),
      contentType: 'application/json; charset=iso-8859-1',
      status: 415,
    },
    {
      label: 'a form instead of JSON',
      body: Buffer.from('name=x&consent=true'),
      contentType: 'application/x-www-form-urlencoded',
    },
    { label: 'gzip that is not gzip', body: Buffer.from('not gzip at all'), headers: { 'Content-Encoding': 'gzip' } },
    {
      label: 'an unknown content encoding',
      body: Buffer.from('{}'),
      headers: { 'Content-Encoding': 'compress' },
      status: 415,
    },
  ];
}

function encode(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(JSON.stringify(body).replaceAll(`"${RAW_1E309}"`, '1e309'), 'utf8');
}

const person = (path: Path): FieldSpec[] => [
  { path: [...path, 'name'], required: true, is: { kind: 'text', max: 200, notEmpty: true } },
  { path: [...path, 'email'], required: true, is: { kind: 'email' } },
];

describe('bad input on every route', () => {
  let t: TestServer;
  /** Projects whose streams no refused request may change. */
  const watched: string[] = [];
  let heads: StreamHead[];
  let projectId: string;
  let unbaselinedProjectId: string;
  let loggedRequestId: string;
  let changeOrderId: string;
  let signPath: string;
  let signedOrderId: string;
  let documentSha256: string;

  beforeAll(async () => {
    // Hundreds of requests go to the signing routes here; the limit has its own test.
    t = await startTestServer({ config: { signRateLimit: 1_000_000, mspName: markup.mspName } });
    const issued = await issuedScenario(t, 'Bad input: issued order');
    projectId = issued.projectId;
    changeOrderId = issued.order.id;
    signPath = issued.issued.signPath;
    documentSha256 = issued.issued.documentSha256;
    // The signer has read and consented, so a refused signature is refused for its body.
    await readAndConsent(t.http, signPath);
    loggedRequestId = (await t.api.post(`/api/projects/${projectId}/change-requests`, requests.vpn.log).expect(201))
      .body.id;

    const signed = await issuedScenario(t, 'Bad input: signed order');
    await readAndConsent(t.http, signed.issued.signPath);
    await request(t.http)
      .post(signed.issued.signPath)
      .send({ name: signer.name, documentSha256: signed.issued.documentSha256 })
      .expect(200);
    signedOrderId = signed.order.id;
    unbaselinedProjectId = (
      await t.api.post('/api/projects', { ...projectBody, name: 'Bad input: no baseline yet' }).expect(201)
    ).body.id;
    watched.push(projectId, signed.projectId, unbaselinedProjectId);
    heads = await Promise.all(watched.map((id) => streamHead(t, id)));
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  function send(method: 'post' | 'put', path: string, c: Case, auth = true): Promise<Response> {
    let test = request(t.http)
      [method](path)
      .set('Content-Type', c.contentType ?? 'application/json');
    if (auth) test = test.set('Authorization', `Bearer ${ADMIN_KEY}`);
    for (const [name, value] of Object.entries(c.headers ?? {})) test = test.set(name, value);
    // Bytes go out exactly as encoded, whatever the content type says.
    return test.serialize((bytes: Buffer) => bytes as unknown as string).send(encode(c.body));
  }

  /** Sends every case; collects what went wrong so one run shows every gap at once. */
  async function expectAllRefused(method: 'post' | 'put', path: string, cases: Case[], auth = true): Promise<void> {
    const before = await Promise.all(watched.map((id) => streamHead(t, id)));
    const wrong: string[] = [];
    for (const c of cases) {
      const response = await send(method, path, c, auth);
      const problem = /^application\/problem\+json/.test(response.headers['content-type'] ?? '');
      const fields = ((response.body?.errors ?? []) as FieldError[]).map((e) => e.field);
      if (response.status < 400 || response.status >= 500)
        wrong.push(`${c.label}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      else if (!problem) wrong.push(`${c.label}: ${response.status} is not a problem document`);
      else if (typeof response.body.detail !== 'string' || response.body.detail.length === 0)
        wrong.push(`${c.label}: no detail`);
      else if (c.status !== undefined && response.status !== c.status)
        wrong.push(`${c.label}: ${response.status}, expected ${c.status}`);
      else if (c.field !== undefined && !fields.includes(c.field))
        wrong.push(`${c.label}: names ${JSON.stringify(fields)} (${response.body.detail}), not ${c.field}`);
    }
    expect(wrong).toEqual([]);
    expect(await Promise.all(watched.map((id) => streamHead(t, id)))).toEqual(before);
  }

  const openProject: Body = { ...projectBody, manager: { name: 'Priya Raman', email: 'priya@msp.example' } };

  it('POST /api/projects', async () => {
    await expectAllRefused('post', '/api/projects', [
      ...bodyCases(),
      ...casesFor(
        openProject,
        [
          { path: ['name'], required: true, is: { kind: 'text', max: 200, notEmpty: true } },
          { path: ['client'], required: true, is: { kind: 'object' } },
          ...person(['client']),
          { path: ['manager'], is: { kind: 'object' } },
          ...person(['manager']),
          { path: ['currency'], required: true, is: { kind: 'enum' } },
          { path: ['rates'], required: true, is: { kind: 'object' } },
          { path: ['rates', 'engineer'], is: { kind: 'money' }, reportedAs: 'rates' },
          { path: ['startDate'], required: true, is: { kind: 'date' } },
          { path: ['holidays'], is: { kind: 'array' } },
          { path: ['holidays', 0], is: { kind: 'date' }, reportedAs: 'holidays' },
        ],
        [[], ['client'], ['manager']],
      ),
      { label: 'an empty rate card', body: { ...openProject, rates: {} }, field: 'rates' },
      { label: 'an unnamed role', body: { ...openProject, rates: { '': 15000 } }, field: 'rates' },
      { label: 'a role with a NUL', body: { ...openProject, rates: { 'eng\u0000ineer': 15000 } }, field: 'rates' },
      {
        label: 'a role that is a lone surrogate',
        body: { ...openProject, rates: { [LONE_SURROGATE]: 15000 } },
        field: 'rates',
      },
      { label: 'a lower-case currency', body: { ...openProject, currency: 'usd' }, field: 'currency' },
    ]);
  });

  it('POST /api/projects/:id/baseline', async () => {
    await expectAllRefused('post', `/api/projects/${unbaselinedProjectId}/baseline`, [
      ...bodyCases(),
      ...casesFor(
        baselineBody,
        [
          { path: ['items'], required: true, is: { kind: 'array' } },
          { path: ['items', 0, 'ref'], required: true, is: { kind: 'ref' } },
          { path: ['items', 0, 'title'], required: true, is: { kind: 'text', max: 300, notEmpty: true } },
          { path: ['items', 0, 'role'], required: true, is: { kind: 'text', max: 100, notEmpty: true } },
          { path: ['items', 0, 'hours'], required: true, is: { kind: 'hours' } },
          { path: ['items', 0, 'fixedCost'], is: { kind: 'money' } },
          { path: ['milestones'], required: true, is: { kind: 'array' } },
          { path: ['milestones', 0, 'ref'], required: true, is: { kind: 'ref' } },
          { path: ['milestones', 0, 'name'], required: true, is: { kind: 'text', max: 200, notEmpty: true } },
          { path: ['milestones', 0, 'due'], required: true, is: { kind: 'date' } },
        ],
        [[], ['items', 0], ['milestones', 0]],
      ),
      { label: 'no scope items', body: { ...baselineBody, items: [] }, field: 'items' },
      {
        label: 'a role not on the rate card',
        body: withValue(baselineBody, ['items', 0, 'role'], 'wizard'),
        status: 422,
        field: 'items[0].role',
      },
      {
        label: 'a scope item ref twice',
        body: withValue(baselineBody, ['items', 1, 'ref'], baselineBody.items[0].ref),
        status: 422,
        field: 'items[1].ref',
      },
      {
        label: 'a milestone due before the start',
        body: withValue(baselineBody, ['milestones', 0, 'due'], '2026-01-05'),
        status: 422,
        field: 'milestones[0].due',
      },
      { label: 'a null scope item', body: { ...baselineBody, items: [null] }, field: 'items[0]' },
    ]);
  });

  it('POST /api/projects/:id/change-requests', async () => {
    const valid: Body = { ...requests.vpn.log, receivedAt: '2026-03-04T09:15:00Z' };
    await expectAllRefused('post', `/api/projects/${projectId}/change-requests`, [
      ...bodyCases(),
      ...casesFor(
        valid,
        [
          { path: ['title'], required: true, is: { kind: 'text', max: 300, notEmpty: true } },
          { path: ['description'], required: true, is: { kind: 'text', max: 10_000 } },
          { path: ['source'], required: true, is: { kind: 'enum' } },
          { path: ['requestedBy'], required: true, is: { kind: 'object' } },
          ...person(['requestedBy']),
          { path: ['receivedAt'], is: { kind: 'timestamp' } },
          { path: ['ticketRef'], is: { kind: 'text', max: 100 } },
        ],
        [[], ['requestedBy']],
      ),
      {
        label: 'received in the future',
        body: { ...valid, receivedAt: '2099-01-01T00:00:00Z' },
        status: 422,
        field: 'receivedAt',
      },
    ]);
  });

  it('POST /api/projects/:id/change-requests/:crId/assessment', async () => {
    const valid: Body = {
      lines: [{ op: 'add', ref: 'VLAN-1', title: 'Guest VLAN', role: 'engineer', hours: 2, fixedCost: 0 }],
      schedule: [{ milestone: 'M1', workingDays: 1 }],
      notes: 'Checked with the network lead',
      noCharge: false,
    };
    await expectAllRefused('post', `/api/projects/${projectId}/change-requests/${loggedRequestId}/assessment`, [
      ...bodyCases(),
      ...casesFor(
        valid,
        [
          { path: ['lines'], required: true, is: { kind: 'array' } },
          { path: ['lines', 0, 'op'], required: true, is: { kind: 'enum' } },
          { path: ['lines', 0, 'ref'], required: true, is: { kind: 'ref' } },
          { path: ['lines', 0, 'title'], is: { kind: 'text', max: 300, notEmpty: true } },
          { path: ['lines', 0, 'role'], is: { kind: 'text', max: 100, notEmpty: true } },
          { path: ['lines', 0, 'hours'], is: { kind: 'hours' } },
          { path: ['lines', 0, 'fixedCost'], is: { kind: 'money' } },
          { path: ['schedule'], is: { kind: 'array' } },
          { path: ['schedule', 0, 'milestone'], required: true, is: { kind: 'ref' } },
          { path: ['schedule', 0, 'workingDays'], required: true, is: { kind: 'integer', min: -260, max: 260 } },
          { path: ['notes'], is: { kind: 'text', max: 10_000 } },
          { path: ['noCharge'], is: { kind: 'boolean' } },
        ],
        [[], ['lines', 0], ['schedule', 0]],
      ),
      {
        label: 'a role not on the rate card',
        body: withValue(valid, ['lines', 0, 'role'], 'wizard'),
        status: 422,
        field: 'lines[0].role',
      },
      {
        label: 'an item dearer than the largest amount',
        body: withValue(
          withValue(valid, ['lines', 0, 'hours'], 100_000),
          ['lines', 0, 'fixedCost'],
          99_999_999_999_999,
        ),
        status: 422,
        field: 'lines[0].hours',
      },
      {
        label: 'a milestone not in the baseline',
        body: withValue(valid, ['schedule', 0, 'milestone'], 'M9'),
        status: 422,
        field: 'schedule[0].milestone',
      },
      {
        label: 'zero working days',
        body: withValue(valid, ['schedule', 0, 'workingDays'], 0),
        status: 422,
        field: 'schedule[0].workingDays',
      },
      { label: 'no lines and no schedule', body: { lines: [] }, status: 422, field: 'lines' },
    ]);
  });

  it('POST /api/projects/:id/change-requests/:crId/decline', async () => {
    await expectAllRefused('post', `/api/projects/${projectId}/change-requests/${loggedRequestId}/decline`, [
      ...bodyCases(),
      ...casesFor({ reason: 'Covered by the warranty', category: 'warranty' }, [
        { path: ['reason'], required: true, is: { kind: 'text', max: 2000, notEmpty: true } },
        { path: ['category'], is: { kind: 'enum' } },
      ]),
      { label: 'a reason of spaces', body: { reason: '   ' }, status: 422, field: 'reason' },
    ]);
  });

  it('POST /api/projects/:id/change-orders', async () => {
    await expectAllRefused('post', `/api/projects/${projectId}/change-orders`, [
      ...bodyCases(),
      ...casesFor(
        { changeRequestIds: [loggedRequestId], signer, expiresInDays: 14, terms: 'Standard terms' },
        [
          { path: ['changeRequestIds'], required: true, is: { kind: 'uuids' } },
          { path: ['signer'], required: true, is: { kind: 'object' } },
          ...person(['signer']),
          { path: ['expiresInDays'], is: { kind: 'integer', min: 1, max: 365 } },
          { path: ['terms'], is: { kind: 'text', max: 5000, notEmpty: true } },
        ],
        [[], ['signer']],
      ),
    ]);
  });

  it('POST /api/projects/:id/change-orders/:coId/issue and /void', async () => {
    // Issuing takes no body: only what breaks the body itself is refused.
    await expectAllRefused(
      'post',
      `/api/projects/${projectId}/change-orders/${changeOrderId}/issue`,
      bodyCases().filter((c) => c.status === 413 || c.label === 'malformed JSON'),
    );
    await expectAllRefused('post', `/api/projects/${projectId}/change-orders/${changeOrderId}/void`, [
      ...bodyCases(),
      ...casesFor({ reason: 'Revising the price' }, [
        { path: ['reason'], required: true, is: { kind: 'text', max: 2000, notEmpty: true } },
      ]),
    ]);
  });

  it('the board routes', async () => {
    const board = `/api/projects/${projectId}/board`;
    // Adding a card is refused by design (work enters through a signed order), whatever the ref.
    await expectAllRefused('post', `${board}/cards`, [
      ...bodyCases(),
      ...casesFor({ ref: 'NET-9' }, [{ path: ['ref'], required: true, is: { kind: 'ref' } }]).map((c) => ({
        ...c,
        field: undefined,
      })),
    ]);
    await expectAllRefused('post', `${board}/cards/C-1/move`, [
      ...bodyCases(),
      ...casesFor({ to: 'ready' }, [{ path: ['to'], required: true, is: { kind: 'enum' } }]),
    ]);
    await expectAllRefused('put', `${board}/wip-limits`, [
      ...bodyCases(),
      ...casesFor({ limits: { review: 2 } }, [{ path: ['limits'], required: true, is: { kind: 'object' } }]),
      { label: 'a negative limit', body: { limits: { review: -1 } }, field: 'limits.review' },
      { label: 'a fractional limit', body: { limits: { review: 1.5 } }, field: 'limits.review' },
      { label: 'a limit as text', body: { limits: { review: '2' } }, field: 'limits.review' },
      { label: 'a limit of 1e309', body: { limits: { review: RAW_1E309 } }, field: 'limits.review' },
      { label: 'an unknown column', body: { limits: { doing: 2 } }, field: 'limits.doing' },
      {
        label: 'a column named __proto__',
        body: Buffer.from('{"limits": {"__proto__": 2}}'),
        field: 'limits.__proto__',
      },
      { label: 'a column with a lone surrogate', body: { limits: { [LONE_SURROGATE]: 2 } }, field: 'limits' },
    ]);
    await expectAllRefused('post', `${board}/cards/C-1/time`, [
      ...bodyCases(),
      ...casesFor({ hours: 2.5, date: '2026-03-04', note: 'Patch window' }, [
        { path: ['hours'], required: true, is: { kind: 'hours' } },
        { path: ['date'], required: true, is: { kind: 'date' } },
        { path: ['note'], is: { kind: 'text', max: 2000 } },
      ]),
      { label: 'more than a day of hours', body: { hours: 25, date: '2026-03-04' }, status: 422, field: 'hours' },
      { label: 'zero hours', body: { hours: 0, date: '2026-03-04' }, status: 422, field: 'hours' },
      { label: 'a future date', body: { hours: 1, date: '2099-03-04' }, status: 422, field: 'date' },
    ]);
  });

  it('POST /api/finance/change-orders/:coId/invoices', async () => {
    await expectAllRefused('post', `/api/finance/change-orders/${signedOrderId}/invoices`, [
      ...bodyCases(),
      ...casesFor({ invoiceNumber: 'INV-2026-0142', amount: 1000 }, [
        { path: ['invoiceNumber'], required: true, is: { kind: 'text', max: 100, notEmpty: true } },
        { path: ['amount'], required: true, is: { kind: 'money' } },
        { path: ['invoiceDate'], is: { kind: 'date' } },
      ]),
      { label: 'a zero amount', body: { invoiceNumber: 'INV-0', amount: 0 }, status: 422, field: 'amount' },
      { label: 'more than the order is worth', body: { invoiceNumber: 'INV-1', amount: 99_999_999_999 }, status: 409 },
      {
        label: 'a credit note against an order that bills',
        body: { invoiceNumber: 'CN-1', amount: -100 },
        status: 422,
        field: 'amount',
      },
      {
        label: 'an invoice date in the future',
        body: { invoiceNumber: 'INV-1', amount: 100, invoiceDate: '2199-01-01' },
        status: 422,
        field: 'invoiceDate',
      },
    ]);
  });

  it('POST /api/finance/change-orders/:coId/invoices/:invoiceNumber/void', async () => {
    await expectAllRefused('post', `/api/finance/change-orders/${signedOrderId}/invoices/INV-9/void`, [
      ...bodyCases(),
      ...casesFor({ reason: 'Sent twice' }, [
        { path: ['reason'], required: true, is: { kind: 'text', max: 500, notEmpty: true } },
      ]),
      { label: 'an invoice the order does not have', body: { reason: 'Sent twice' }, status: 404 },
    ]);
  });

  it('POST /api/admin/api-keys', async () => {
    await expectAllRefused('post', '/api/admin/api-keys', [
      ...bodyCases(),
      ...casesFor({ name: 'Priya (PM)', role: 'pm' }, [
        { path: ['name'], required: true, is: { kind: 'text', max: 200, notEmpty: true } },
        { path: ['role'], required: true, is: { kind: 'enum' } },
      ]),
    ]);
  });

  it('POST /sign/:token', async () => {
    const valid: Body = {
      name: signer.name,
      documentSha256,
      signature: `data:image/png;base64,${drawnSignaturePng().toString('base64')}`,
    };
    await expectAllRefused(
      'post',
      signPath,
      [
        ...bodyCases(),
        ...casesFor(valid, [
          { path: ['name'], required: true, is: { kind: 'text', max: 200, notEmpty: true } },
          { path: ['documentSha256'], required: true, is: { kind: 'enum' } },
          { path: ['signature'], is: { kind: 'enum' } },
        ]),
        // Consent is its own step, never a field of the signature.
        { label: 'consent in the signature', body: { ...valid, consent: true }, field: 'consent' },
        {
          label: 'an upper-case hash',
          body: { ...valid, documentSha256: documentSha256.toUpperCase() },
          field: 'documentSha256',
        },
        { label: 'another document', body: { ...valid, documentSha256: '0'.repeat(64) }, status: 409 },
        {
          label: 'a script URL as signature',
          body: { ...valid, signature: 'javascript:alert(1)' },
          field: 'signature',
        },
        {
          label: 'a PNG data URL whose image is cut short',
          body: { ...valid, signature: 'data:image/png;base64,iVBORw0KGgo=' },
          field: 'signature',
        },
        {
          label: 'an SVG as signature',
          body: { ...valid, signature: 'data:image/svg+xml;base64,PHN2Zz4=' },
          field: 'signature',
        },
        {
          label: 'a signature over 700,000 characters',
          body: { ...valid, signature: `data:image/png;base64,${'A'.repeat(700_000)}` },
          field: 'signature',
        },
      ],
      false,
    );
  });

  it('POST /sign/:token/code/verify', async () => {
    await expectAllRefused(
      'post',
      `${signPath}/code/verify`,
      [
        ...bodyCases(),
        ...casesFor({ code: '123456' }, [{ path: ['code'], required: true, is: { kind: 'enum' } }]),
        { label: 'five digits', body: { code: '12345' }, field: 'code' },
        { label: 'letters', body: { code: '12a456' }, field: 'code' },
        { label: 'a number', body: { code: 123456 }, field: 'code' },
        { label: 'an order that asks for no code', body: { code: '123456' }, status: 409 },
      ],
      false,
    );
  });

  it('POST /sign/:token/decline', async () => {
    await expectAllRefused(
      'post',
      `${signPath}/decline`,
      [
        ...bodyCases(),
        ...casesFor({ reason: 'Over budget' }, [
          { path: ['reason'], required: true, is: { kind: 'text', max: 2000, notEmpty: true } },
        ]),
      ],
      false,
    );
  });

  describe('query strings, headers and ids', () => {
    const refusals: [string, string, string?][] = [];
    beforeAll(() => {
      for (const view of ['', '/scope', '/budget', '/timeline', '/board', '/board/cards/C-1', '/change-requests']) {
        for (const asOf of [
          'yesterday',
          '2026-02-30T00:00:00Z',
          '2026-03-04T09:15:00',
          '1e309',
          '%00',
          '%ED%A0%80',
          '%3Cscript%3E',
        ]) {
          refusals.push([`/api/projects/${projectId}${view}?asOf=${asOf}`, 'asOf']);
        }
        refusals.push([
          `/api/projects/${projectId}${view}?asOf=2026-03-04T09:15:00Z&asOf=2026-03-05T09:15:00Z`,
          'asOf',
        ]);
        refusals.push([`/api/projects/${projectId}${view}?colour=blue`, 'colour']);
      }
      refusals.push(['/api/finance/change-orders?from=yesterday', 'from']);
      refusals.push(['/api/finance/change-orders?to=2026-02-30T00:00:00Z', 'to']);
      refusals.push([`/api/finance/change-orders?client=${'x'.repeat(201)}`, 'client']);
      refusals.push(['/api/finance/change-orders?client=%00', 'client']);
      refusals.push(['/api/portfolio?sort=loudest', 'sort']);
      refusals.push(['/api/portfolio?asOf=tomorrow', 'asOf']);
    });

    it('refuses bad query values naming the parameter', async () => {
      const wrong: string[] = [];
      for (const [path, field] of refusals) {
        const response = await t.api.get(path);
        const fields = ((response.body?.errors ?? []) as FieldError[]).map((e) => e.field);
        if (response.status !== 400 || !fields.includes(field!))
          wrong.push(`${path}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      }
      expect(wrong).toEqual([]);
    });

    it('refuses bad If-Match, X-Min-Position and Authorization headers', async () => {
      expectProblem(
        await t.api.post(`/api/projects/${projectId}/change-requests`, requests.vpn.log).set('If-Match', '"1e309"'),
        400,
      );
      expectProblem(
        await t.api
          .post(`/api/projects/${projectId}/change-requests`, requests.vpn.log)
          .set('If-Match', `"${'9'.repeat(30)}"`),
        400,
      );
      expectProblem(await t.api.get(`/api/projects/${projectId}`).set('X-Min-Position', 'NaN/NaN'), 400);
      expectProblem(await t.api.get(`/api/projects/${projectId}`).set('X-Min-Position', `${'9'.repeat(25)}/1`), 400);
      expectProblem(
        await request(t.http)
          .get('/api/projects')
          .set('Authorization', `Bearer ${'k'.repeat(5000)}`),
        401,
      );
      expectProblem(
        await request(t.http)
          .get('/api/projects')
          .set('Authorization', 'Bearer \u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9'),
        401,
      );
    });

    it('answers ids that are not ids with 404, as a problem on the API and as a page for signers', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      for (const path of [
        '/api/projects/not-a-uuid',
        `/api/projects/${projectId}/change-requests/CR-1`,
        `/api/projects/${projectId}/change-orders/${missing}`,
        `/api/projects/${'9'.repeat(5000)}`,
      ]) {
        expectProblem(await t.api.get(path), 404);
      }
      // Percent-encoding that is not UTF-8 is not a path at all.
      expectProblem(await t.api.get(`/api/projects/${projectId}/change-orders/%E0%A4%A/pdf`), 400);
      expectProblem(
        await t.api.post(`/api/projects/${projectId}/board/cards/${encodeURIComponent('C-1<script>')}/move`, {
          to: 'ready',
        }),
        404,
      );
      expectProblem(await t.api.delete('/api/admin/api-keys/not-a-key'), 404);
      for (const token of [
        'short',
        'x'.repeat(5000),
        encodeURIComponent('<script>alert(1)</script>'),
        encodeURIComponent('\u202Eabc'),
        '%E0%A4%A',
      ]) {
        const page = await request(t.http).get(`/sign/${token}`);
        // A page for a person; a path that is not even UTF-8 never reaches the page.
        expect(page.headers['content-type']).toMatch(
          page.status === 404 ? /^text\/html/ : /^application\/problem\+json/,
        );
        expect(page.status === 404 || page.status === 400).toBe(true);
        expect(page.text).not.toContain('<script>alert(1)');
        const pdf = await request(t.http).get(`/sign/${token}/document.pdf`);
        expect(pdf.status === 404 || pdf.status === 400).toBe(true);
        const posted = await request(t.http).post(`/sign/${token}`).send({ name: 'X', documentSha256: documentSha256 });
        expect(posted.status === 404 || posted.status === 400).toBe(true);
        expect(posted.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });
  });

  describe('text that looks like markup', () => {
    it('is shown as text on the signing page, before and after signing', async () => {
      const { issued } = await markupOrder(t);
      const page = await request(t.http).get(issued.signPath).expect(200);
      for (const active of ACTIVE_MARKUP) expect(page.text).not.toContain(active);
      expect(page.text).toContain(
        '<h1>CO-1 · &lt;script&gt;alert(&quot;project&quot;)&lt;/script&gt; Office move</h1>',
      );
      expect(page.text).toContain('Acme &lt;b&gt;Managed&lt;/b&gt; IT &amp; &quot;Partners&quot;');
      expect(page.text).toContain('&lt;script&gt;alert(&#39;request&#39;)&lt;/script&gt; Extra switch');

      await readAndConsent(t.http, issued.signPath);
      const consented = await request(t.http).get(issued.signPath).expect(200);
      for (const active of ACTIVE_MARKUP) expect(consented.text).not.toContain(active);
      expect(consented.text).toContain('value="&lt;img src=x onerror=alert(3)&gt; Morgan"');
      const typedName = '<script>alert("signed")</script> Morgan';
      await request(t.http)
        .post(issued.signPath)
        .send({ name: typedName, documentSha256: issued.documentSha256 })
        .expect(200);
      const signed = await request(t.http).get(issued.signPath).expect(200);
      expect(signed.text).not.toContain('<script>alert(');
      expect(signed.text).toContain('Signed by &lt;script&gt;alert(&quot;signed&quot;)&lt;/script&gt; Morgan');
    });
  });

  describe('odd but honest Unicode', () => {
    it('keeps emoji, zero-width joiners and right-to-left script exactly as sent', async () => {
      const title = 'Wi\u2011Fi for the 🧑\u200D💻 team \u05E9\u05DC\u05D5\u05DD \u200B';
      const elsewhere = (await t.api.post('/api/projects', { ...projectBody, name: 'Unicode 🧑\u200D💻' }).expect(201))
        .body.id;
      const logged = await t.api
        .post(`/api/projects/${elsewhere}/change-requests`, { ...requests.vpn.log, title })
        .expect(201);
      const stored = (await t.api.get(`/api/projects/${elsewhere}/change-requests/${logged.body.id}`).expect(200)).body;
      expect(stored.title).toBe(title);
    });
  });

  it('left every project stream exactly as it was', async () => {
    expect(await Promise.all(watched.map((id) => streamHead(t, id)))).toEqual(heads);
    for (const id of watched)
      expect((await t.api.get(`/api/projects/${id}/audit/verify`).expect(200)).body.valid).toBe(true);
  });
});
