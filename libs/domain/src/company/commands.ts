import { CompanySettingsChanges } from './events';

/** A setting left out stays as it is; null clears it. */
export type CompanyCommand = { type: 'ChangeCompanySettings'; now: string; changes: CompanySettingsChanges };
