import { conflict, invalid, notFound } from '../shared/domain-error';
import { StaffCommand, StaffCommandOf } from './commands';
import { STAFF_ROLES, staffEvent, StaffEvent, StaffRole } from './events';
import { activeAdmins, emailKey, findStaffUser, findStaffUserByEmail, StaffState, StaffUser } from './state';

const MAX_NAME_LENGTH = 200;
/** One @, something either side, a dot in the domain, no spaces: enough to catch typing slips. */
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

export function decideStaff(command: StaffCommand, state: StaffState): StaffEvent[] {
  switch (command.type) {
    case 'AddStaffUser':
      return addUser(command, state);
    case 'CreateOwner':
      return createOwner(command, state);
    case 'RenameStaffUser':
      return renameUser(command, state);
    case 'ChangeStaffRole':
      return changeRole(command, state);
    case 'DeactivateStaffUser':
      return deactivateUser(command, state);
    case 'ReactivateStaffUser':
      return reactivateUser(command, state);
    case 'RecordLocalPassword':
      activeUser(state, command.userId);
      return [staffEvent('LocalPasswordSet', { userId: command.userId, setAt: command.now })];
    case 'RecordTotpEnrolled':
      activeUser(state, command.userId);
      return [staffEvent('TotpEnrolled', { userId: command.userId, enrolledAt: command.now })];
    case 'RecordTotpRemoved':
      if (!existingUser(state, command.userId).totpEnrolledAt) return [];
      return [staffEvent('TotpRemoved', { userId: command.userId, removedAt: command.now })];
    default: {
      const unknown: never = command;
      throw new Error(`Unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

function addUser(command: StaffCommandOf<'AddStaffUser'>, state: StaffState): StaffEvent[] {
  const name = checkedName(command.name);
  const email = checkedEmail(command.email, state);
  const role = checkedRole(command.role);
  if (state.users.has(command.userId)) throw conflict(`User ${command.userId} already exists`);
  return [staffEvent('StaffUserAdded', { userId: command.userId, name, email, role, addedAt: command.now })];
}

function createOwner(command: StaffCommandOf<'CreateOwner'>, state: StaffState): StaffEvent[] {
  if (activeAdmins(state).length > 0) throw conflict('The owner account already exists; sign in instead');
  return addUser({ ...command, type: 'AddStaffUser', role: 'admin' }, state);
}

function renameUser(command: StaffCommandOf<'RenameStaffUser'>, state: StaffState): StaffEvent[] {
  const user = existingUser(state, command.userId);
  const name = checkedName(command.name);
  if (name === user.name) return [];
  return [staffEvent('StaffUserRenamed', { userId: user.userId, name, renamedAt: command.now })];
}

function changeRole(command: StaffCommandOf<'ChangeStaffRole'>, state: StaffState): StaffEvent[] {
  const user = existingUser(state, command.userId);
  const role = checkedRole(command.role);
  if (role === user.role) return [];
  if (user.role === 'admin') keepAnAdmin(state, user, `changed to ${role}`);
  return [staffEvent('StaffUserRoleChanged', { userId: user.userId, role, changedAt: command.now })];
}

function deactivateUser(command: StaffCommandOf<'DeactivateStaffUser'>, state: StaffState): StaffEvent[] {
  const user = existingUser(state, command.userId);
  if (!user.active) throw conflict(`${user.name} is already deactivated`);
  if (user.role === 'admin') keepAnAdmin(state, user, 'deactivated');
  return [staffEvent('StaffUserDeactivated', { userId: user.userId, deactivatedAt: command.now })];
}

function reactivateUser(command: StaffCommandOf<'ReactivateStaffUser'>, state: StaffState): StaffEvent[] {
  const user = existingUser(state, command.userId);
  if (user.active) throw conflict(`${user.name} is already active`);
  return [staffEvent('StaffUserReactivated', { userId: user.userId, reactivatedAt: command.now })];
}

/** Someone must always be able to manage users: the last active admin stays an active admin. */
function keepAnAdmin(state: StaffState, user: StaffUser, toBe: string): void {
  const others = activeAdmins(state).filter((admin) => admin.userId !== user.userId);
  if (user.active && others.length === 0)
    throw conflict(`${user.name} is the last active admin and cannot be ${toBe}; make another user admin first`);
}

function existingUser(state: StaffState, userId: string): StaffUser {
  const user = findStaffUser(state, userId);
  if (!user) throw notFound(`No staff user with id ${userId}`);
  return user;
}

function activeUser(state: StaffState, userId: string): StaffUser {
  const user = existingUser(state, userId);
  if (!user.active) throw conflict(`${user.name} is deactivated`);
  return user;
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > MAX_NAME_LENGTH)
    throw invalid('A user needs a name of at most 200 characters', 'name');
  return trimmed;
}

function checkedEmail(email: string, state: StaffState): string {
  const key = emailKey(email);
  if (key.length > 254 || !EMAIL_PATTERN.test(key))
    throw invalid('Enter an email address such as ana@example.com', 'email');
  const existing = findStaffUserByEmail(state, key);
  if (existing) throw conflict(`${key} already belongs to ${existing.name}; emails are unique`, 'email');
  return key;
}

function checkedRole(role: StaffRole): StaffRole {
  if (!STAFF_ROLES.includes(role)) throw invalid(`Role must be one of ${STAFF_ROLES.join(', ')}`, 'role');
  return role;
}
