import 'reflect-metadata';
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { migrate, SqlClient } from '@scope-ledger/event-store';
import { Notifications } from '@scope-ledger/notifications';
import { loadSigningSecret, openPlatform, Platform } from '@scope-ledger/platform';
import { AppModule } from './app.module';
import { ApiKeysService } from './auth/api-keys.service';
import { StaffUsers } from './auth/staff-users.service';
import { CredentialThrottle } from './auth/credential-throttle';
import { presentedApiKey } from './auth/staff-auth.guard';
import { ChangeOrderService } from './change-orders/change-order.service';
import { DocumentStore } from './change-orders/document-store';
import { CompanySettingsService, mailTransportOf } from './company/company-settings.service';
import { loadSeal, ServerConfig } from './config';
import { idempotencyKeys, idempotencyMigrations } from './http/idempotency-keys';
import { jsonBodiesOnly } from './http/json-bodies';
import { openApiDocument } from './http/openapi';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { signingRateLimit, verifyRateLimit } from './http/rate-limit';
import { RedactingLogger } from './http/redacting-logger';
import { isStaffPagePath, securityHeaders } from './http/security-headers';
import { createValidationPipe } from './http/validation';
import { readCookie } from './web/cookies';
import { StaffSessions } from './web/staff-sessions';

export interface RunningServer {
  app: INestApplication;
  platform: Platform;
  apiKeys: ApiKeysService;
  /** Staff users: until one is an active admin, /setup creates the owner account. */
  staffUsers: StaffUsers;
  /** Emails: the outbox reactor, reminders and the SMTP sender. */
  notifications: Notifications;
  /** The OpenAPI document served at /api/docs-json. */
  openApi: OpenAPIObject;
  close(): Promise<void>;
}

/** How often a server reads the company settings again, to pick up a change made through another server. */
const COMPANY_REFRESH_MS = 60_000;

/** Builds the whole server: storage, projections, API keys and the Nest application. */
export async function createServer(
  config: ServerConfig,
  options: { sql?: SqlClient; logger?: boolean } = {},
): Promise<RunningServer> {
  const logger = new Logger('ScopeLedger');
  const platform = await openPlatform({ ...config, sql: options.sql, logger });
  let notifications: Notifications | undefined;
  let app: INestApplication | undefined;
  try {
    const apiKeys = new ApiKeysService(platform.sql);
    await apiKeys.prepare();
    const credentialThrottle = new CredentialThrottle(platform.sql, config.authFailureLimit);
    await credentialThrottle.prepare();
    const signingSecret = await loadSigningSecret(platform.sql, config.signingSecret);
    const staffUsers = new StaffUsers(platform.sql, platform.staff, signingSecret);
    await staffUsers.prepare();
    await apiKeys.ensureAdminKey(config.adminApiKey, (await staffUsers.owner())?.userId ?? null);
    await migrate(platform.sql, idempotencyMigrations);
    const documents = new DocumentStore(platform.sql);
    await documents.prepare();
    const sealCertificate = await loadSeal(config);
    const company = new CompanySettingsService(platform.company, platform.sql, documents, config);
    await company.prepare();
    notifications = await Notifications.start(
      { sql: platform.sql, processor: platform.processor, signingSecret, logger },
      // Emails go out only for issued orders, and issuing needs the name.
      {
        ...config,
        mspName: config.mspName ?? '',
        identitySource: () => company.lastMailIdentity(),
        transport: mailTransportOf(await company.current()),
      },
    );
    const sender = notifications.sender;
    // A change of SMTP settings (here, or seen in the stream from another server) rebuilds the transport.
    company.onChange((settings) => sender.configure(mailTransportOf(settings)));
    // Another server's change reaches this one's emails and SMTP transport within a minute.
    const companyRefresh = setInterval(
      () => void company.current().catch((e: Error) => logger.error(`Reading company settings failed: ${e.message}`)),
      COMPANY_REFRESH_MS,
    );
    companyRefresh.unref();
    await platform.processor.start();

    const dependencies = {
      platform,
      config,
      company,
      apiKeys,
      staffUsers,
      credentialThrottle,
      signingSecret,
      documents,
      sealCertificate,
    };
    app = await NestFactory.create(AppModule.register(dependencies), {
      bodyParser: false,
      logger: options.logger === false ? false : new RedactingLogger({ logLevels: ['log', 'warn', 'error'] }),
    });
    app.use(securityHeaders());
    app.use('/sign', signingRateLimit(config.signRateLimit));
    app.use(['/verify', '/api/verify'], verifyRateLimit(config.verifyRateLimit));
    app.use('/api', jsonBodiesOnly);
    app.use(express.json({ limit: config.bodyLimit, strict: true }));
    // Forms are posted only by the staff pages and the signing page; the API speaks JSON.
    app.use(['/app', '/sign'], express.urlencoded({ extended: false, limit: config.bodyLimit }));
    const sessions = app.get(StaffSessions);
    app.use(
      idempotencyKeys(platform.sql, async (request) => {
        // As the routes' guards see it: the staff pages by their session, the API by its key.
        if (isStaffPagePath(request.path)) {
          return (await sessions.find(readCookie(request, sessions.cookieName)))?.staff.id;
        }
        const key = presentedApiKey(request);
        const staffKey = key ? await apiKeys.verify(key) : undefined;
        return staffKey ? (await staffUsers.memberForKey(staffKey))?.id : undefined;
      }),
    );
    const http = app.getHttpAdapter().getInstance();
    // Behind a reverse proxy the signer's address is in X-Forwarded-For; TRUST_PROXY says which hops to believe.
    if (config.trustProxy !== undefined) http.set('trust proxy', config.trustProxy);
    // ETags are the project's revision, set by the routes that have one; no content hashes that If-Match could not use.
    http.set('etag', false);
    http.disable('x-powered-by');
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());

    const openApi = openApiDocument(app);
    SwaggerModule.setup('api/docs', app, openApi);

    // Unsigned orders expire on their date even when nobody opens them.
    const orders = app.get(ChangeOrderService);
    const expiry = setInterval(
      () => void orders.expireOverdue().catch((e: Error) => logger.error(`Expiring orders failed: ${e.message}`)),
      config.expiryIntervalMs,
    );
    expiry.unref();

    const started = { app, notifications };
    return {
      app,
      platform,
      apiKeys,
      staffUsers,
      notifications,
      openApi,
      async close() {
        clearInterval(expiry);
        clearInterval(companyRefresh);
        await started.app.close();
        await started.notifications.stop();
        await platform.close();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await notifications?.stop();
    await platform.close();
    throw error;
  }
}
