import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * How the responder answers the next queries:
 * - `grant`: a time-stamp for the query, made by `openssl ts -reply`;
 * - `reject`: a TimeStampResp with PKIStatus rejection (2) and no token;
 * - `replay`: the first token it ever granted, whatever was asked (wrong imprint and nonce);
 * - `error`: HTTP 500.
 */
export type TsaBehaviour = 'grant' | 'reject' | 'replay' | 'error';

export interface TsaResponder {
  /** POST an RFC 3161 query here (application/timestamp-query). */
  readonly url: string;
  /** The responder's root, to verify tokens against: `openssl ts -verify -CAfile`. */
  readonly caCertificateFile: string;
  /** The TSA's own certificate (extendedKeyUsage critical, timeStamping). */
  readonly tsaCertificateFile: string;
  behaviour: TsaBehaviour;
  /** Queries answered so far, whatever the answer. */
  readonly queries: number;
  close(): Promise<void>;
}

/** TimeStampResp { status PKIStatusInfo { status rejection } }, with no token. */
const REJECTION = Buffer.from('30053003020102', 'hex');

/**
 * A real RFC 3161 time-stamp authority on 127.0.0.1: a small HTTP server that hands each query to
 * `openssl ts -reply`, with a throwaway root and TSA certificate made by openssl in a temp folder.
 */
export async function startTsaResponder(): Promise<TsaResponder> {
  const dir = await mkdtemp(join(tmpdir(), 'scope-ledger-tsa-'));
  await makeCertificates(dir);
  const config = join(dir, 'tsa.cnf');
  await writeFile(config, tsaConfig(dir));
  await writeFile(join(dir, 'tsa-serial'), '01\n');

  let queries = 0;
  let firstGrant: Buffer | undefined;
  const state = { behaviour: 'grant' as TsaBehaviour };

  const reply = async (query: Buffer): Promise<{ status: number; body: Buffer }> => {
    queries += 1;
    if (state.behaviour === 'error') return { status: 500, body: Buffer.from('TSA out of order') };
    if (state.behaviour === 'reject') return { status: 200, body: REJECTION };
    if (state.behaviour === 'replay' && firstGrant) return { status: 200, body: firstGrant };
    const granted = await grant(dir, config, query, queries);
    firstGrant ??= granted;
    return { status: 200, body: granted };
  };

  const server = createServer((request, response) => {
    readBody(request)
      .then(reply)
      .then(({ status, body }) => {
        response.writeHead(status, { 'Content-Type': 'application/timestamp-reply' }).end(body);
      })
      .catch((error: unknown) => {
        response.writeHead(500).end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caCertificateFile: join(dir, 'ca.pem'),
    tsaCertificateFile: join(dir, 'tsa.pem'),
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(value: TsaBehaviour) {
      state.behaviour = value;
    },
    get queries() {
      return queries;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A TSA address on 127.0.0.1 where nothing listens: a port taken, then let go. */
export async function unreachableTsaUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/tsa`;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function grant(dir: string, config: string, query: Buffer, number: number): Promise<Buffer> {
  const queryFile = join(dir, `query-${number}.tsq`);
  const replyFile = join(dir, `reply-${number}.tsr`);
  await writeFile(queryFile, query);
  await run('openssl', ['ts', '-reply', '-config', config, '-queryfile', queryFile, '-out', replyFile]);
  const reply = await readFile(replyFile);
  // openssl answers a query it cannot serve with a rejection; say why, or the test only sees "refused".
  const { stdout } = await run('openssl', ['ts', '-reply', '-in', replyFile, '-text']);
  if (!/Status: Granted/.test(stdout)) console.warn(`openssl ts -reply refused query ${number}:\n${stdout}`);
  return reply;
}

async function makeCertificates(dir: string): Promise<void> {
  const file = (name: string) => join(dir, name);
  await writeFile(file('tsa.ext'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=critical,timeStamping\n');
  await run('openssl', [
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2'],
    ...['-subj', '/CN=Scope Ledger test TSA root', '-keyout', file('ca.key'), '-out', file('ca.pem')],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
  await run('openssl', [
    ...['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=Scope Ledger test TSA'],
    ...['-keyout', file('tsa.key'), '-out', file('tsa.csr')],
  ]);
  await run('openssl', [
    ...['x509', '-req', '-in', file('tsa.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key')],
    ...['-CAcreateserial', '-days', '2', '-extfile', file('tsa.ext'), '-out', file('tsa.pem')],
  ]);
}

function tsaConfig(dir: string): string {
  return [
    '[ tsa ]',
    'default_tsa = test_tsa',
    '[ test_tsa ]',
    `serial = ${join(dir, 'tsa-serial')}`,
    'crypto_device = builtin',
    `signer_cert = ${join(dir, 'tsa.pem')}`,
    `signer_key = ${join(dir, 'tsa.key')}`,
    'signer_digest = sha256',
    'default_policy = 1.2.3.4.1', // a test policy, as in openssl's own example
    'digests = sha256, sha384, sha512',
    'accuracy = secs:1',
    'ordering = yes',
    'tsa_name = yes',
    'ess_cert_id_alg = sha256',
    '',
  ].join('\n');
}
