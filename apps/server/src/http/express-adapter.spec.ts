import 'reflect-metadata';
import { IncomingMessage } from 'node:http';
import { Controller, Get, INestApplication, Module, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Request } from 'express';
import { shareOneHiddenClass } from '../../../../test/support/hidden-classes';
import { ScopeLedgerExpressAdapter } from './express-adapter';

const seen: Request[] = [];

@Controller('echo')
class EchoController {
  @Get()
  echo(@Req() request: Request) {
    seen.push(request);
    return { accept: request.get('accept'), path: request.path };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('ScopeLedgerExpressAdapter', () => {
  let app: INestApplication;
  let baseUrl: string;
  const arrivedWith: object[] = [];

  beforeAll(async () => {
    app = await NestFactory.create(EchoModule, new ScopeLedgerExpressAdapter(), { logger: false });
    // Before Express's own listener, which sets the prototypes it wants.
    app
      .getHttpServer()
      .prependListener('request', (request: IncomingMessage) =>
        arrivedWith.push(Object.getPrototypeOf(request) as object),
      );
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });

  afterAll(() => app.close());

  it('builds each request with the prototype Express would give it, and Express still works', async () => {
    const answers = await Promise.all(
      [1, 2, 3].map(() => fetch(`${baseUrl}/echo`, { headers: { accept: 'application/json' } })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ accept: 'application/json', path: '/echo' });
    }
    const express = app.getHttpAdapter().getInstance() as { request: object };
    expect(arrivedWith).toHaveLength(3);
    for (const prototype of arrivedWith) expect(prototype).toBe(express.request);
    expect(seen[0]).toBeInstanceOf(IncomingMessage);
  });

  it('gives the requests, and the responses, one hidden class', async () => {
    seen.length = 0;
    for (let i = 0; i < 20; i++) expect((await fetch(`${baseUrl}/echo`)).status).toBe(200);
    expect(seen).toHaveLength(20);
    // The first of them may still be settling into its hidden class.
    expect(shareOneHiddenClass(seen.slice(1))).toBe(true);
    expect(shareOneHiddenClass(seen.slice(1).map((request) => request.res!))).toBe(true);
  });
});
