import { CompanyEvent, CompanySettingName, CompanySettings } from './events';

export interface CompanyState {
  readonly settings: CompanySettings;
  readonly changedAt?: string;
}

export const initialCompanyState: CompanyState = { settings: {} };

export function evolveCompany(state: CompanyState, event: CompanyEvent): CompanyState {
  switch (event.type) {
    case 'CompanySettingsChanged': {
      const settings: Record<string, unknown> = { ...state.settings };
      for (const [name, value] of Object.entries(event.data.changes) as [CompanySettingName, unknown][]) {
        if (value === null) delete settings[name];
        else if (value !== undefined) settings[name] = value;
      }
      return { settings: settings as CompanySettings, changedAt: event.data.changedAt };
    }
    default: {
      const unknown: never = event.type;
      return unknown;
    }
  }
}

export function foldCompany(events: Iterable<CompanyEvent>, from = initialCompanyState): CompanyState {
  let state = from;
  for (const event of events) state = evolveCompany(state, event);
  return state;
}
