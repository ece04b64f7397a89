import { ClientDependenciesController } from './projects/client-dependencies.controller';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import type { SealCertificate } from '@scope-ledger/documents';
import { Platform, ProjectCommands } from '@scope-ledger/platform';
import { AdminController, HealthController } from './admin/admin.controller';
import { UsersController } from './admin/users.controller';
import { ProjectionRebuild } from './admin/projection-rebuild';
import { ApiKeysService } from './auth/api-keys.service';
import { CredentialThrottle } from './auth/credential-throttle';
import { StaffUsers } from './auth/staff-users.service';
import { StaffAuthGuard } from './auth/staff-auth.guard';
import { BoardController } from './board/board.controller';
import { CapacityImpactController } from './capacity/capacity-impact.controller';
import { CapacityController } from './capacity/capacity.controller';
import { CapacityReads } from './capacity/capacity-reads';
import { CatalogueController } from './catalogue/catalogue.controller';
import { ChangeOrderService } from './change-orders/change-order.service';
import { CompanyController } from './company/company.controller';
import { CompanySettingsService } from './company/company-settings.service';
import { CompanyTestEmail } from './company/company-test-email';
import { ChangeOrdersController } from './change-orders/change-orders.controller';
import { DocumentStore } from './change-orders/document-store';
import { ServerConfig } from './config';
import { BaselineInvoicesController } from './finance/baseline-invoices.controller';
import { BookkeepingExportsController } from './finance/bookkeeping-exports.controller';
import { FinanceController } from './finance/finance.controller';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { ReadInterceptor } from './http/request-context';
import { OutboxController } from './notifications/outbox.controller';
import { PLATFORM, SEAL_CERTIFICATE, SERVER_CONFIG, SIGNING_SECRET } from './platform.token';
import { PortfolioController } from './portfolio/portfolio.controller';
import { ProjectReads } from './projects/project-reads';
import { ProjectsController } from './projects/projects.controller';
import { SigningCeremonyService } from './signing/signing-ceremony.service';
import { SigningController } from './signing/signing.controller';
import { TeamController } from './team/team.controller';
import { DocumentCheck } from './verify/document-check';
import { VerifyController } from './verify/verify.controller';
import { staffPageControllers, staffPageProviders } from './web';

export interface AppDependencies {
  platform: Platform;
  config: ServerConfig;
  apiKeys: ApiKeysService;
  staffUsers: StaffUsers;
  credentialThrottle: CredentialThrottle;
  signingSecret: Buffer;
  documents: DocumentStore;
  sealCertificate: SealCertificate;
  company: CompanySettingsService;
}

/** Controllers call ProjectCommands and ProjectReads directly: with one command path a bus would route nothing. */
@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        ProjectsController,
        ClientDependenciesController,
        ChangeOrdersController,
        BoardController,
        CatalogueController,
        CompanyController,
        TeamController,
        CapacityController,
        CapacityImpactController,
        FinanceController,
        BaselineInvoicesController,
        BookkeepingExportsController,
        PortfolioController,
        SigningController,
        VerifyController,
        OutboxController,
        AdminController,
        UsersController,
        HealthController,
        ...staffPageControllers,
      ],
      providers: [
        { provide: PLATFORM, useValue: deps.platform },
        { provide: SERVER_CONFIG, useValue: deps.config },
        { provide: ApiKeysService, useValue: deps.apiKeys },
        { provide: StaffUsers, useValue: deps.staffUsers },
        { provide: CredentialThrottle, useValue: deps.credentialThrottle },
        { provide: SIGNING_SECRET, useValue: deps.signingSecret },
        { provide: ProjectCommands, useValue: deps.platform.commands },
        { provide: DocumentStore, useValue: deps.documents },
        { provide: CompanySettingsService, useValue: deps.company },
        CompanyTestEmail,
        { provide: SEAL_CERTIFICATE, useValue: deps.sealCertificate },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: ReadInterceptor },
        ProjectReads,
        ChangeOrderService,
        SigningCeremonyService,
        DocumentCheck,
        CapacityReads,
        ProjectionRebuild,
        StaffAuthGuard,
        ...staffPageProviders,
      ],
    };
  }
}
