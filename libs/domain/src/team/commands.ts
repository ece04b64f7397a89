import { IsoDate } from '../shared/calendar';
import { ReactiveKind } from './events';

/** Input as the API received it (hours as decimals) and `now`. A field left out of an update stays as it is. */
export type TeamCommand =
  | { type: 'AddTeamMember'; now: string; name: string; email?: string; role: string; weeklyCapacityHours: number }
  | {
      type: 'UpdateTeamMember';
      now: string;
      personId: string;
      name?: string;
      /** null: the person no longer gives an email. */
      email?: string | null;
      role?: string;
      weeklyCapacityHours?: number;
    }
  | { type: 'RemoveTeamMember'; now: string; personId: string }
  | { type: 'BookTimeOff'; now: string; personId: string; from: IsoDate; to: IsoDate; note?: string }
  | { type: 'CancelTimeOff'; now: string; personId: string; timeOffId: string }
  | {
      type: 'LogReactiveWork';
      now: string;
      personId: string;
      weekOf: IsoDate;
      hours: number;
      kind: ReactiveKind;
      note?: string;
    };

export type TeamCommandOf<K extends TeamCommand['type']> = Extract<TeamCommand, { type: K }>;
