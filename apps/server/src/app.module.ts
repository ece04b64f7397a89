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
import { RunProjectCommandHandler } from './projects/commands/run-project-command.handler';
import { ProjectRepository } from '@scope-ledger/platform';
import { ProjectsController } from './projects/projects.controller';
import { GetProjectStateHandler } from './projects/queries/get-project-state.handler';

export interface AppDependencies {
  platform: Platform;
  config: ServerConfig;
  apiKeys: ApiKeysService;
  signingSecret: Buffer;
}

@Module({})
export class AppModule {
  static register(deps: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [ProjectsController, AdminController, HealthController],
      providers: [
        { provide: PLATFORM, useValue: deps.platform },
        { provide: SERVER_CONFIG, useValue: deps.config },
        { provide: ApiKeysService, useValue: deps.apiKeys },
        { provide: SIGNING_SECRET, useValue: deps.signingSecret },
        { provide: ProjectRepository, useValue: new ProjectRepository(deps.platform.store) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        StaffAuthGuard,
        RunProjectCommandHandler,
        GetProjectStateHandler,
      ],
    };
  }
}
