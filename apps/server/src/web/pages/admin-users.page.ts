import { STAFF_ROLES } from '@scope-ledger/domain';
import { html } from '../../signing/html';
import { StaffUserView } from '../../auth/staff-users.service';
import { badge, timeTag } from './format';
import { FormFailure, FormView, inputField, postForm, selectField } from './forms';
import { dataTable, pageHead, shell, Viewer } from './layout';

const ROLE_LABELS: Record<string, string> = { admin: 'Admin', pm: 'Project manager', finance: 'Finance' };
const roles = STAFF_ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));

/** The users page: everyone with their role and how they sign in, a form to add one, and per user role and status. */
export function adminUsersPage(
  viewer: Viewer,
  args: {
    users: StaffUserView[];
    failure?: FormFailure;
    notice?: string;
    /** A new user's one-time password link, shown on the answer to adding them and never again. */
    passwordLink?: { name: string; url: string };
  },
): string {
  const rows = args.users.map((user) => {
    const roleForm = FormView.of(`role-${user.userId}`, args.failure, { role: user.role });
    const action = `/app/admin/users/${user.userId}`;
    return html`<tr>
      <td>${user.name}</td><td>${user.email}</td>
      <td>${postForm(
        viewer,
        `${action}/role`,
        undefined,
        html`${selectField(roleForm, 'role', roles, { label: `Role of ${user.name}` })}
        <button type="submit" class="quiet">Change</button>`,
        'class="inline-form"',
      )}${roleForm.failed ? html`<p class="field-error">${roleForm.detail}</p>` : ''}</td>
      <td>${user.active ? badge('active') : badge('deactivated', 'deactivated')}</td>
      <td>${user.passwordSetAt ? 'Password' : html`<span class="muted">None yet</span>`}</td>
      <td>${user.totpEnrolledAt ? 'On' : 'Off'}</td>
      <td>${user.lastSignInAt ? timeTag(user.lastSignInAt) : html`<span class="muted">Never</span>`}</td>
      <td>${postForm(
        viewer,
        `${action}/${user.active ? 'deactivate' : 'reactivate'}`,
        undefined,
        html`<button type="submit" class="${user.active ? 'danger quiet' : 'quiet'}">${
          user.active ? 'Deactivate' : 'Reactivate'
        }</button>`,
        'class="inline-form"',
      )}</td>
    </tr>`;
  });
  const table = dataTable(
    'data',
    [
      'Name',
      'Email',
      'Role',
      'Status',
      'Sign-in',
      'Authenticator',
      'Last sign-in',
      html`<th scope="col"><span class="visually-hidden">Actions</span></th>`,
    ],
    rows,
  );
  const form = FormView.of('add-user', args.failure, { role: 'pm' });
  const link = args.passwordLink
    ? html`<section class="panel" role="status"><h2>Send ${args.passwordLink.name} this link</h2>
  <p class="panel-text">They choose their password there. It works once, for 72 hours, and is shown only now.</p>
  <p class="panel-text mono break" id="password-link">${args.passwordLink.url}</p></section>`
    : '';
  const body = html`${pageHead({
    eyebrow: 'Admin',
    title: 'Users',
    lead: 'Staff who sign in. Events name the user who made them; deactivated users keep their history.',
  })}
${link}
<section class="panel flush">${table}</section>
<section class="panel" id="add-user"><h2>Add a user</h2>
${postForm(
  viewer,
  '/app/admin/users',
  form,
  html`<div class="grid two">
    ${inputField(form, 'name', { label: 'Name', required: true })}
    ${inputField(form, 'email', { label: 'Email', type: 'email', required: true })}
    ${selectField(form, 'role', roles, { label: 'Role' })}
  </div>
  <div class="actions"><button type="submit" class="primary">Add the user</button></div>`,
)}</section>`;
  return shell(viewer, 'Users', body, {
    section: 'admin',
    crumbs: [{ label: 'Admin', href: '/app/admin' }, { label: 'Users' }],
    notice: args.notice,
  });
}
