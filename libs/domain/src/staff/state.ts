import { StaffEvent, StaffRole } from './events';

export interface StaffUser {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly active: boolean;
  readonly addedAt: string;
  readonly deactivatedAt?: string;
  /** When a local password was last set; undefined when the user has none yet. */
  readonly passwordSetAt?: string;
  /** When the user enrolled an authenticator app; undefined when TOTP is off. */
  readonly totpEnrolledAt?: string;
}

/** Users by id in the order they were added, and their ids by lower-cased email. */
export interface StaffState {
  readonly users: ReadonlyMap<string, StaffUser>;
  readonly idsByEmail: ReadonlyMap<string, string>;
}

export const initialStaffState: StaffState = { users: new Map(), idsByEmail: new Map() };

/** Emails are compared and kept lower-cased: "Ana@Example.com" and "ana@example.com" are one person. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function findStaffUser(state: StaffState, userId: string): StaffUser | undefined {
  return state.users.get(userId);
}

export function findStaffUserByEmail(state: StaffState, email: string): StaffUser | undefined {
  const userId = state.idsByEmail.get(emailKey(email));
  return userId === undefined ? undefined : state.users.get(userId);
}

export function activeAdmins(state: StaffState): StaffUser[] {
  return [...state.users.values()].filter((user) => user.active && user.role === 'admin');
}

/** Whether a holder of `holder` may act with `wanted`: admin covers every role, the others only themselves. */
export function roleCovers(holder: StaffRole, wanted: StaffRole): boolean {
  return holder === 'admin' || holder === wanted;
}

export function evolveStaff(state: StaffState, event: StaffEvent): StaffState {
  const users = new Map(state.users);
  const update = (userId: string, change: Partial<StaffUser>) => {
    const existing = users.get(userId);
    if (!existing) throw new Error(`The staff stream has no user ${userId}`);
    users.set(userId, { ...existing, ...change });
  };
  switch (event.type) {
    case 'StaffUserAdded': {
      const { userId, name, email, role, addedAt } = event.data;
      users.set(userId, { userId, name, email, role, addedAt, active: true });
      const idsByEmail = new Map(state.idsByEmail);
      idsByEmail.set(emailKey(email), userId);
      return { users, idsByEmail };
    }
    case 'StaffUserRenamed':
      update(event.data.userId, { name: event.data.name });
      break;
    case 'StaffUserRoleChanged':
      update(event.data.userId, { role: event.data.role });
      break;
    case 'StaffUserDeactivated':
      update(event.data.userId, { active: false, deactivatedAt: event.data.deactivatedAt });
      break;
    case 'StaffUserReactivated':
      update(event.data.userId, { active: true, deactivatedAt: undefined });
      break;
    case 'LocalPasswordSet':
      update(event.data.userId, { passwordSetAt: event.data.setAt });
      break;
    case 'TotpEnrolled':
      update(event.data.userId, { totpEnrolledAt: event.data.enrolledAt });
      break;
    case 'TotpRemoved':
      update(event.data.userId, { totpEnrolledAt: undefined });
      break;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
  return { users, idsByEmail: state.idsByEmail };
}

export function foldStaff(events: Iterable<StaffEvent>, from = initialStaffState): StaffState {
  let state = from;
  for (const event of events) state = evolveStaff(state, event);
  return state;
}
