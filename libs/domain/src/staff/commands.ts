import { StaffRole } from './events';

/**
 * Input as the server received it, with `now`. The server makes the user id; passwords and TOTP secrets stay in
 * the server: the commands that record them carry only who and when.
 */
export type StaffCommand =
  | { type: 'AddStaffUser'; now: string; userId: string; name: string; email: string; role: StaffRole }
  /** The first admin, made by the setup page: refused once any active admin exists. */
  | { type: 'CreateOwner'; now: string; userId: string; name: string; email: string }
  | { type: 'RenameStaffUser'; now: string; userId: string; name: string }
  | { type: 'ChangeStaffRole'; now: string; userId: string; role: StaffRole }
  | { type: 'DeactivateStaffUser'; now: string; userId: string }
  | { type: 'ReactivateStaffUser'; now: string; userId: string }
  | { type: 'RecordLocalPassword'; now: string; userId: string }
  | { type: 'RecordTotpEnrolled'; now: string; userId: string }
  | { type: 'RecordTotpRemoved'; now: string; userId: string };

export type StaffCommandOf<K extends StaffCommand['type']> = Extract<StaffCommand, { type: K }>;
