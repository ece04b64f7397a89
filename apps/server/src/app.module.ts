import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { Platform } from '@scope-ledger/platform';
import { AdminController, HealthController } from './admin/admin.controller';
import { ApiKeysService } from './auth/api-keys.service';
import { StaffAuthGuard } from './auth/staff-auth.guard';
import { ServerConfig } from './config';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { PLATFORM, SERVER_CONFIG, SIGNING_SECRET } from './platform.token';
import { RecordProjectCommandHandler } from './projects/commands/record-project-command.handler';
import { RunProjectCommandHandler } from './projects/commands/run-project-command.handler';
import { ProjectRepository } from '@scope-ledger/platform';
import { ProjectsController } from './projects/projects.controller';
import { ReadConsistency } from './projects/read-consistency';
import { GetProjectStateHandler } from './projects/queries/get-project-state.handler';
import { BoardController } from './board/board.controller';
import { ChangeOrdersController } from './change-orders/change-orders.controller';
import { ChangeOrderService } from './change-orders/change-order.service';
import { DocumentStore } from './change-orders/document-store';
import { FinanceController } from './finance/finance.controller';
import { OutboxController } from './notifications/outbox.controller';
import { PortfolioController } from './portfolio/portfolio.controller';
import { SigningController } from './signing/signing.controller';
import { staffPageControllers, staffPageProviders } from './web';

export interface AppDependencies {
  platform: Platform;
  config: ServerConfig;
  apiKeys: ApiKeysService;
  signingSecret: Buffer;
  documents: DocumentStore;
  projects: ProjectRepository;
}

@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [
        ProjectsController,
        ChangeOrdersController,
        BoardController,
        FinanceController,
        PortfolioController,
        SigningController,
        OutboxController,
        AdminController,
        HealthController,
        ...staffPageControllers,
      ],
      providers: [
        { provide: PLATFORM, useValue: deps.platform },
        { provide: SERVER_CONFIG, useValue: deps.config },
        { provide: ApiKeysService, useValue: deps.apiKeys },
        { provide: SIGNING_SECRET, useValue: deps.signingSecret },
        { provide: ProjectRepository, useValue: deps.projects },
        { provide: DocumentStore, useValue: deps.documents },
        ChangeOrderService,
        ReadConsistency,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        StaffAuthGuard,
        RunProjectCommandHandler,
        RecordProjectCommandHandler,
        GetProjectStateHandler,
        ...staffPageProviders,
      ],
    };
  }
}
