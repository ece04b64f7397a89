import { deciderSpecification } from '../testing/decider-specification';
import { StaffCommand } from './commands';
import { decideStaff } from './decide';
import { staffEvent, StaffEvent } from './events';
import { findStaffUserByEmail, foldStaff } from './state';

const NOW = '2026-03-01T09:00:00.000Z';
const LATER = '2026-03-02T09:00:00.000Z';
const ANA = '0b8a6a8e-2f7c-4a37-9a0a-0d5e1c1a0001';
const BEN = '0b8a6a8e-2f7c-4a37-9a0a-0d5e1c1a0002';

const anaAdded = staffEvent('StaffUserAdded', {
  userId: ANA,
  name: 'Ana Oliveira',
  email: 'ana@northwind-it.example',
  role: 'admin',
  addedAt: NOW,
});
const benAdded = staffEvent('StaffUserAdded', {
  userId: BEN,
  name: 'Ben Carter',
  email: 'ben@northwind-it.example',
  role: 'pm',
  addedAt: NOW,
});

const given = deciderSpecification<StaffCommand, StaffEvent, ReturnType<typeof foldStaff>>(decideStaff, (events) =>
  foldStaff(events),
);

describe('staff users', () => {
  it('creates the owner as the first admin, with the email lower-cased', () => {
    given([])
      .when({ type: 'CreateOwner', now: NOW, userId: ANA, name: ' Ana Oliveira ', email: 'Ana@Northwind-IT.example' })
      .then([anaAdded]);
  });

  it('refuses a second owner once an active admin exists', () => {
    given([anaAdded])
      .when({ type: 'CreateOwner', now: LATER, userId: BEN, name: 'Ben Carter', email: 'ben@northwind-it.example' })
      .thenThrows('conflict', 'The owner account already exists');
  });

  it('adds a user with a role, and refuses an email already taken in another letter case', () => {
    given([anaAdded])
      .when({
        type: 'AddStaffUser',
        now: NOW,
        userId: BEN,
        name: 'Ben Carter',
        email: 'ben@northwind-it.example',
        role: 'pm',
      })
      .then([benAdded]);
    given([anaAdded, benAdded])
      .when({
        type: 'AddStaffUser',
        now: LATER,
        userId: 'x',
        name: 'Ben C',
        email: 'BEN@northwind-it.example',
        role: 'finance',
      })
      .thenThrows('conflict', 'ben@northwind-it.example already belongs to Ben Carter', 'email');
    expect(findStaffUserByEmail(foldStaff([anaAdded, benAdded]), 'Ben@Northwind-IT.example')?.userId).toBe(BEN);
  });

  it('refuses a missing name, a malformed email and an unknown role', () => {
    const add = {
      type: 'AddStaffUser' as const,
      now: NOW,
      userId: BEN,
      name: 'Ben',
      email: 'ben@x.example',
      role: 'pm' as const,
    };
    given([])
      .when({ ...add, name: '  ' })
      .thenThrows('invalid', 'needs a name', 'name');
    given([])
      .when({ ...add, email: 'ben at x' })
      .thenThrows('invalid', 'Enter an email address', 'email');
    given([])
      .when({ ...add, role: 'owner' as never })
      .thenThrows('invalid', 'Role must be one of admin, pm, finance', 'role');
  });

  it('changes a role, and appends nothing when the role is the same', () => {
    given([anaAdded, benAdded])
      .when({ type: 'ChangeStaffRole', now: LATER, userId: BEN, role: 'finance' })
      .then([staffEvent('StaffUserRoleChanged', { userId: BEN, role: 'finance', changedAt: LATER })]);
    given([anaAdded, benAdded]).when({ type: 'ChangeStaffRole', now: LATER, userId: BEN, role: 'pm' }).then([]);
  });

  it('refuses demoting or deactivating the last active admin', () => {
    given([anaAdded, benAdded])
      .when({ type: 'ChangeStaffRole', now: LATER, userId: ANA, role: 'pm' })
      .thenThrows('conflict', 'Ana Oliveira is the last active admin and cannot be changed to pm');
    given([anaAdded, benAdded])
      .when({ type: 'DeactivateStaffUser', now: LATER, userId: ANA })
      .thenThrows('conflict', 'Ana Oliveira is the last active admin and cannot be deactivated');
  });

  it('lets an admin go once another active admin exists', () => {
    const benPromoted = staffEvent('StaffUserRoleChanged', { userId: BEN, role: 'admin', changedAt: NOW });
    given([anaAdded, benAdded, benPromoted])
      .when({ type: 'DeactivateStaffUser', now: LATER, userId: ANA })
      .then([staffEvent('StaffUserDeactivated', { userId: ANA, deactivatedAt: LATER })]);
    const benGone = staffEvent('StaffUserDeactivated', { userId: BEN, deactivatedAt: LATER });
    given([anaAdded, benAdded, benPromoted, benGone])
      .when({ type: 'DeactivateStaffUser', now: LATER, userId: ANA })
      .thenThrows('conflict', 'last active admin');
  });

  it('deactivates and reactivates a user, refusing to do either twice', () => {
    const benGone = staffEvent('StaffUserDeactivated', { userId: BEN, deactivatedAt: LATER });
    given([anaAdded, benAdded]).when({ type: 'DeactivateStaffUser', now: LATER, userId: BEN }).then([benGone]);
    given([anaAdded, benAdded, benGone])
      .when({ type: 'DeactivateStaffUser', now: LATER, userId: BEN })
      .thenThrows('conflict', 'Ben Carter is already deactivated');
    given([anaAdded, benAdded, benGone])
      .when({ type: 'ReactivateStaffUser', now: LATER, userId: BEN })
      .then([staffEvent('StaffUserReactivated', { userId: BEN, reactivatedAt: LATER })]);
    given([anaAdded, benAdded])
      .when({ type: 'ReactivateStaffUser', now: LATER, userId: BEN })
      .thenThrows('conflict', 'Ben Carter is already active');
  });

  it('a reactivated user is the same person with the same email and role', () => {
    const state = foldStaff([
      anaAdded,
      benAdded,
      staffEvent('StaffUserDeactivated', { userId: BEN, deactivatedAt: LATER }),
      staffEvent('StaffUserReactivated', { userId: BEN, reactivatedAt: LATER }),
    ]);
    expect(state.users.get(BEN)).toMatchObject({ email: 'ben@northwind-it.example', role: 'pm', active: true });
  });

  it('renames a user, trimming the name; the same name appends nothing', () => {
    given([anaAdded])
      .when({ type: 'RenameStaffUser', now: LATER, userId: ANA, name: ' Ana O. Silva ' })
      .then([staffEvent('StaffUserRenamed', { userId: ANA, name: 'Ana O. Silva', renamedAt: LATER })]);
    given([anaAdded]).when({ type: 'RenameStaffUser', now: LATER, userId: ANA, name: 'Ana Oliveira' }).then([]);
  });

  it('records that a password was set and TOTP enrolled or removed, never the secrets', () => {
    given([anaAdded])
      .when({ type: 'RecordLocalPassword', now: LATER, userId: ANA })
      .then([staffEvent('LocalPasswordSet', { userId: ANA, setAt: LATER })]);
    const enrolled = staffEvent('TotpEnrolled', { userId: ANA, enrolledAt: LATER });
    given([anaAdded]).when({ type: 'RecordTotpEnrolled', now: LATER, userId: ANA }).then([enrolled]);
    given([anaAdded, enrolled])
      .when({ type: 'RecordTotpRemoved', now: LATER, userId: ANA })
      .then([staffEvent('TotpRemoved', { userId: ANA, removedAt: LATER })]);
    given([anaAdded]).when({ type: 'RecordTotpRemoved', now: LATER, userId: ANA }).then([]);
  });

  it('refuses a password for a deactivated user, and answers an unknown user as not found', () => {
    const benGone = staffEvent('StaffUserDeactivated', { userId: BEN, deactivatedAt: LATER });
    given([anaAdded, benAdded, benGone])
      .when({ type: 'RecordLocalPassword', now: LATER, userId: BEN })
      .thenThrows('conflict', 'Ben Carter is deactivated');
    given([anaAdded]).when({ type: 'DeactivateStaffUser', now: LATER, userId: BEN }).thenThrows('not_found', BEN);
  });
});
