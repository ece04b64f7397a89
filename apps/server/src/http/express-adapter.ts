import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import express, { Express } from 'express';

/**
 * Nest's Express adapter, with an HTTP server that builds each request and response with
 * Express's prototypes from the start.
 *
 * Express hands every request and response its application's prototypes with
 * `Object.setPrototypeOf`. V8 then gives such an object fresh hidden classes for every property
 * added to it afterwards (Node's, Express's, Nest's, ours), and those live in the old
 * generation, where only a full collection frees them: an Express app that answers `{}` grows
 * its old generation by about 9 KiB per request that way, enough for a full collection every few
 * seconds under load
 * (`bench/probes/promotion.ts`, modes `express-min` and `express-adopted`). Here the server's
 * request and response classes carry Express's prototypes as their own, so Express's
 * `setPrototypeOf` finds them in place and changes nothing; the objects keep the hidden classes
 * they share with every other request.
 */
export class ScopeLedgerExpressAdapter extends ExpressAdapter {
  private readonly Request: typeof IncomingMessage;
  private readonly Response: typeof ServerResponse;

  constructor(app: Express = express()) {
    super(app);
    this.Request = adoptedClass(IncomingMessage, app, 'request');
    this.Response = adoptedClass(ServerResponse, app, 'response');
  }

  override initHttpServer(options: NestApplicationOptions): void {
    super.initHttpServer(options);
    // TLS and connection tracking are Nest's own business: its server stays as it made it.
    if (options.httpsOptions || options.forceCloseConnections) return;
    this.setHttpServer(
      createServer({ IncomingMessage: this.Request, ServerResponse: this.Response }, this.getInstance()),
    );
  }
}

/**
 * A subclass of Node's request or response class whose prototype becomes `app.request` or
 * `app.response`: it inherits what Express's own prototype did (Express's methods, then Node's)
 * and has its properties (`app`).
 */
function adoptedClass<T extends typeof IncomingMessage | typeof ServerResponse>(
  base: T,
  app: Express,
  key: 'request' | 'response',
): T {
  const Adopted = class extends (base as typeof IncomingMessage) {} as unknown as T;
  const current = app[key] as object;
  Object.setPrototypeOf(Adopted.prototype, Object.getPrototypeOf(current));
  Object.defineProperties(Adopted.prototype, Object.getOwnPropertyDescriptors(current));
  (app as unknown as Record<string, unknown>)[key] = Adopted.prototype;
  return Adopted;
}
