import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { constants } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import express from 'express';
import { ScopeLedgerExpressAdapter } from '../../apps/server/src/http/express-adapter';
import {
  BENCH_ADMIN_KEY,
  changeRequestBody,
  openProject,
  startBareEndpoint,
  startBenchServer,
} from '../support/bench-server';
import { observeCollections } from '../support/collections';
import { createSchema, dropEverything, pgClient } from '../support/databases';
import { runLoad } from '../support/load';
import { runProbe } from '../support/probe';

/**
 * How many bytes per request reach the old generation through minor collections: what full
 * collections will have to clear later. The same paced load (section 2's body, 16 connections)
 * against one of several servers in this process, from the plainest to the whole server, to see
 * which layer keeps request objects alive across minor collections:
 *
 *   node          Node's http server reading the body and answering JSON
 *   node-proto    the same, setting the prototypes of the request and response as Express does
 *   express-min   an Express app with one middleware answering
 *   express-adopted  the same app on the server's HTTP adapter (ScopeLedgerExpressAdapter), whose
 *                 requests and responses are built with Express's prototypes
 *   bare          section 2's bare Nest endpoint (body parsing and validation)
 *   server        the whole Scope Ledger server logging change requests
 *
 *   npm run build && npx swc bench -d dist --config-file .swcrc --quiet
 *   MODE=express-min RATE=650 SECONDS=20 node --max-semi-space-size=64 dist/bench/probes/promotion.js
 */
type Mode = 'node' | 'node-proto' | 'express-min' | 'express-adopted' | 'bare' | 'server';

async function listening(server: Server): Promise<string> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

function plainNode(setPrototypes: boolean): Server {
  const requestPrototype = Object.create(IncomingMessage.prototype) as object;
  const responsePrototype = Object.create(ServerResponse.prototype) as object;
  return createServer((request, response) => {
    if (setPrototypes) {
      Object.setPrototypeOf(request, requestPrototype);
      Object.setPrototypeOf(response, responsePrototype);
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { title: string };
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ title: body.title }));
    });
  }).listen(0, '127.0.0.1');
}

/** Sums the old generation's growth across each minor collection (a major one starts afresh). */
function measurePromotion(): { stop(): { bytes: number; minor: number; major: number } } {
  const oldSpaceUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;
  let last = oldSpaceUsed();
  const tally = { bytes: 0, minor: 0, major: 0 };
  const stop = observeCollections(({ kind }) => {
    const now = oldSpaceUsed();
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      tally.minor += 1;
      tally.bytes += Math.max(0, now - last);
    } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      tally.major += 1;
    }
    last = now;
  });
  return {
    stop() {
      stop();
      return { ...tally };
    },
  };
}

async function main(): Promise<void> {
  const mode = (process.env.MODE ?? 'server') as Mode;
  const sql = pgClient(await createSchema('promotion'));
  let baseUrl: string;
  let close: () => Promise<unknown>;
  let paths = Array.from(
    { length: 100 },
    (_, i) => `/api/projects/00000000-0000-4000-8000-${String(i).padStart(12, '0')}/change-requests`,
  );
  if (mode === 'node' || mode === 'node-proto') {
    const server = plainNode(mode === 'node-proto');
    baseUrl = await listening(server);
    close = () => new Promise((resolve) => server.close(resolve));
  } else if (mode === 'express-min' || mode === 'express-adopted') {
    const app = express();
    app.use((request, response) => {
      request.resume();
      request.on('end', () => response.end('{}'));
    });
    let server: Server;
    if (mode === 'express-min') {
      server = app.listen(0, '127.0.0.1');
    } else {
      const adapter = new ScopeLedgerExpressAdapter(app);
      adapter.initHttpServer({});
      server = (adapter.getHttpServer() as Server).listen(0, '127.0.0.1');
    }
    baseUrl = await listening(server);
    close = () => new Promise((resolve) => server.close(resolve));
  } else if (mode === 'bare') {
    const bare = await startBareEndpoint();
    baseUrl = bare.baseUrl;
    close = () => bare.app.close();
  } else {
    const server = await startBenchServer(sql);
    baseUrl = server.baseUrl;
    close = () => server.close();
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await openProject(server.projects, `Load test project ${i + 1}`));
    paths = ids.map((id) => `/api/projects/${id}/change-requests`);
  }
  try {
    const load = {
      method: 'POST' as const,
      baseUrl,
      connections: 16,
      paths,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` },
      body: JSON.stringify(changeRequestBody()),
    };
    await runLoad({ ...load, seconds: Number(process.env.WARMUP ?? 5) });
    const promotion = measurePromotion();
    const result = await runLoad({
      ...load,
      seconds: Number(process.env.SECONDS ?? 20),
      overallRate: Number(process.env.RATE ?? 650),
    });
    const { bytes, minor, major } = promotion.stop();
    console.log(
      `${mode}: ${result.ok} requests, ${minor} minor and ${major} major collections; ` +
        `${(bytes / 1024 ** 2).toFixed(1)} MiB reached the old generation through minor ones ` +
        `= ${(bytes / result.ok / 1024).toFixed(1)} KiB per request`,
    );
  } finally {
    await close();
    await sql.close();
    await dropEverything();
  }
}

runProbe(main);
