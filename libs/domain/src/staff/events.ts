/** What a staff member may do: admin everything; pm runs projects; finance records invoices and exports. */
export type StaffRole = 'admin' | 'pm' | 'finance';
export const STAFF_ROLES: readonly StaffRole[] = ['admin', 'pm', 'finance'];

/**
 * Every fact in the stream `staff`. Secrets never go in here: a password hash or a TOTP secret lives in the
 * server's credentials table, and the events say only that it changed, when, and (in the metadata) by whom.
 */
export interface StaffEventMap {
  /** Email is lower-cased and unique among all users, active or not. */
  StaffUserAdded: { userId: string; name: string; email: string; role: StaffRole; addedAt: string };
  StaffUserRenamed: { userId: string; name: string; renamedAt: string };
  StaffUserRoleChanged: { userId: string; role: StaffRole; changedAt: string };
  StaffUserDeactivated: { userId: string; deactivatedAt: string };
  StaffUserReactivated: { userId: string; reactivatedAt: string };
  LocalPasswordSet: { userId: string; setAt: string };
  TotpEnrolled: { userId: string; enrolledAt: string };
  TotpRemoved: { userId: string; removedAt: string };
}

export type StaffEventType = keyof StaffEventMap;

export type StaffEvent = {
  [K in StaffEventType]: { readonly type: K; readonly data: StaffEventMap[K] };
}[StaffEventType];

export const STAFF_STREAM_ID = 'staff';

export const STAFF_SCHEMA_VERSIONS: { readonly [K in StaffEventType]: number } = {
  StaffUserAdded: 1,
  StaffUserRenamed: 1,
  StaffUserRoleChanged: 1,
  StaffUserDeactivated: 1,
  StaffUserReactivated: 1,
  LocalPasswordSet: 1,
  TotpEnrolled: 1,
  TotpRemoved: 1,
};

export function staffEvent<K extends StaffEventType>(
  type: K,
  data: StaffEventMap[K],
): Extract<StaffEvent, { type: K }> {
  return { type, data } as Extract<StaffEvent, { type: K }>;
}

/** A stored event as the staff stream reads it: undefined for types it does not know. */
export function toStaffEvent(type: string, data: unknown): StaffEvent | undefined {
  if (!Object.hasOwn(STAFF_SCHEMA_VERSIONS, type)) return undefined;
  return { type, data } as StaffEvent;
}
