import { Provider } from '@nestjs/common';
import { AdminCompanyPageController } from './admin-company-page.controller';
import { AdminPagesController } from './admin-pages.controller';
import { BoardPageController } from './board-page.controller';
import { CapacityPageController } from './capacity-page.controller';
import { CataloguePageController } from './catalogue-page.controller';
import { OverviewPagesController } from './overview-pages.controller';
import { ProjectPagesController } from './project-pages.controller';
import { ProjectSettingsPageController } from './project-settings-page.controller';
import { OidcSignIn } from '../auth/oidc-sign-in';
import { OidcSignInController } from './oidc-sign-in.controller';
import { AccountPageController } from './account-page.controller';
import { AdminUsersPageController } from './admin-users-page.controller';
import { SetupController } from './setup.controller';
import { SignInController } from './sign-in.controller';
import { StaffSessionGuard } from './staff-session.guard';
import { StaffSessions } from './staff-sessions';
import { TeamPageController } from './team-page.controller';

/** The staff pages under /app: registered in AppModule beside the API. */
export const staffPageControllers = [
  SignInController,
  SetupController,
  AccountPageController,
  AdminUsersPageController,
  OidcSignInController,
  OverviewPagesController,
  ProjectPagesController,
  ProjectSettingsPageController,
  BoardPageController,
  CataloguePageController,
  TeamPageController,
  CapacityPageController,
  AdminPagesController,
  AdminCompanyPageController,
];

export const staffPageProviders: Provider[] = [StaffSessions, StaffSessionGuard, OidcSignIn];
