import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Body, Controller, INestApplication, Module, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import { SqlClient } from '@scope-ledger/event-store';
import { ProjectCommands } from '@scope-ledger/platform';
import { configFromEnv } from '../../apps/server/src/config';
import { createValidationPipe } from '../../apps/server/src/http/validation';
import { LogChangeRequestDto } from '../../apps/server/src/projects/dto/project.dto';
import { createServer, RunningServer } from '../../apps/server/src/server';

export const BENCH_ADMIN_KEY = 'sl_bench_admin_key_0123456789abcdef';

export interface BenchServer {
  readonly server: RunningServer;
  readonly baseUrl: string;
  readonly commands: ProjectCommands;
  close(): Promise<void>;
}

/** The whole Scope Ledger server (as `npm start` builds it) on the given database, on a free port. */
export async function startBenchServer(sql: SqlClient): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scope-ledger-bench-server-'));
  const server = await createServer(
    { ...configFromEnv({}), port: 0, host: '127.0.0.1', adminApiKey: BENCH_ADMIN_KEY, dataDir },
    { sql, logger: false },
  );
  await server.app.listen(0, '127.0.0.1');
  const { port } = server.app.getHttpServer().address() as { port: number };
  return {
    server,
    baseUrl: `http://127.0.0.1:${port}`,
    commands: server.platform.commands,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const uuid = new ParseUUIDPipe({ version: undefined, errorHttpStatusCode: 404 });

/** The same route and DTO validation as logging a change request, and nothing else. */
@Controller('api/projects')
class BareChangeRequestsController {
  @Post(':id/change-requests')
  log(@Param('id', uuid) id: string, @Body() dto: LogChangeRequestDto) {
    return { id: randomUUID(), projectId: id, title: dto.title };
  }
}

@Module({ controllers: [BareChangeRequestsController] })
class BareModule {}

/** A bare Nest application in this process, on the same Express adapter: body parsing and the validation pipe. */
export async function startBareEndpoint(): Promise<{ app: INestApplication; baseUrl: string }> {
  const app = await NestFactory.create(BareModule, { bodyParser: false, logger: false });
  app.use(express.json({ limit: '1mb', strict: true }));
  app.useGlobalPipes(createValidationPipe());
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${port}` };
}

/** What a project manager types when logging a request. */
export function changeRequestBody(n = 1): Record<string, unknown> {
  return {
    title: `Add a shared mailbox for accounts payable (${n})`,
    description: 'Requested by the finance lead during the weekly call; needed before the month-end close.',
    source: 'email',
    requestedBy: { name: 'Dana Whitfield', email: 'dana.whitfield@contoso-dental.example' },
    ticketRef: `TCK-${4800 + (n % 1000)}`,
  };
}

/** Logs change request number `i` on a project over HTTP, as a project manager's client would. */
export function postChangeRequest(baseUrl: string, projectId: string): (i: number) => Promise<Response> {
  return (i) =>
    fetch(`${baseUrl}/api/projects/${projectId}/change-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADMIN_KEY}` },
      body: JSON.stringify(changeRequestBody(i)),
    });
}

/** Opens a project with a small baseline through the server's own command path. */
export async function openProject(commands: ProjectCommands, name: string): Promise<string> {
  const id = randomUUID();
  const context = { actor: { kind: 'staff' as const, id: 'bench', name: 'Benchmark' } };
  const now = new Date().toISOString();
  await commands.execute(
    id,
    {
      type: 'OpenProject',
      now,
      projectId: id,
      name,
      client: { name: 'Contoso Dental Group', email: 'it@contoso-dental.example' },
      currency: 'USD',
      rates: { engineer: 15_000, technician: 9_550, architect: 19_500 },
      startDate: '2026-03-02',
      holidays: [],
    },
    context,
  );
  await commands.execute(
    id,
    {
      type: 'EstablishBaseline',
      now,
      items: [
        { ref: 'SI-1', title: 'Migrate 120 mailboxes', role: 'technician', hours: 40 },
        { ref: 'SI-2', title: 'Configure Intune enrolment', role: 'engineer', hours: 12.5 },
        { ref: 'SI-3', title: 'Install backup appliance', role: 'engineer', hours: 4, fixedCost: 120_000 },
      ],
      milestones: [
        { ref: 'M1', name: 'Pilot group migrated', due: '2026-03-13' },
        { ref: 'M2', name: 'All mailboxes migrated', due: '2026-03-27' },
      ],
    },
    context,
  );
  return id;
}
