import type { ChainVerification } from '@scope-ledger/event-store';
import { OUTBOX_STATUSES, OutboxMessage, OutboxStatus, isRetryable } from '@scope-ledger/notifications';
import type { AuditReport } from '@scope-ledger/platform';
import type { StaffKey } from '../../auth/api-keys.service';
import type { ProjectionStatus, RebuildStatus } from '../../admin/projection-rebuild';
import { html, Html } from '../../signing/html';
import { plural, timeTag } from './format';
import { FormFailure, FormView, inputField, postForm, selectField } from './forms';
import { ACTIONS_COLUMN, dataTable, numColumn, pageHead, shell, tile, Viewer } from './layout';

const ADMIN = { label: 'Admin', href: '/app/admin' };

/** The admin pages' frame: under Admin in the trail and the top bar. */
function adminShell(viewer: Viewer, title: string, body: Html, notice?: string, problem?: string): string {
  const crumbs = title === 'Admin' ? [{ label: 'Admin' }] : [ADMIN, { label: title }];
  return shell(viewer, title, body, { section: 'admin', crumbs, notice, problem });
}

const tone = (name: string, label: string) => html`<span class="badge tone-${name}">${label}</span>`;

/** The admin landing page: what each admin page is for. */
export function adminPage(viewer: Viewer): string {
  const entries: [href: string, title: string, what: string][] = [
    [
      '/app/admin/company',
      'Company settings',
      'The name, contact, logo and colour on orders, emails and the signing page; default terms; email.',
    ],
    ['/app/admin/keys', 'API keys', 'Create keys for integrations and people, see when each was last used, revoke.'],
    ['/app/admin/outbox', 'Outbox', 'Every email the system queued, sent, held or failed to send; send one again.'],
    [
      '/app/admin/projections',
      'Read models',
      'Whether the projections keep up, events they could not apply, and a rebuild from the events.',
    ],
    ['/app/admin/audit', 'Audit trail', "Re-compute every stream's hash chain and find the first broken link."],
  ];
  const body = html`${pageHead({ eyebrow: 'Administration', title: 'Admin', lead: 'Only admins see these pages.' })}
<section class="panel"><ul class="admin-links">${entries.map(
    ([href, title, what]) => html`<li><a href="${href}">${title}</a> <span class="muted">${what}</span></li>`,
  )}</ul></section>`;
  return adminShell(viewer, 'Admin', body);
}

const ROLE_CHOICES = [
  { value: 'pm', label: 'Project manager (pm)' },
  { value: 'finance', label: 'Finance' },
  { value: 'admin', label: 'Admin' },
];

/** A staff user as the API keys page names them. */
export interface KeyOwner {
  readonly userId: string;
  readonly name: string;
  readonly role: string;
  readonly active: boolean;
}

/** API keys: the list with last use, the form to create one, and the new key shown once. */
export function apiKeysPage(
  viewer: Viewer,
  args: {
    keys: StaffKey[];
    /** The staff users, for the "Belongs to" choice (active ones) and to mark keys whose owner left. */
    users: readonly KeyOwner[];
    created?: { key: string; name: string };
    failure?: FormFailure;
    notice?: string;
  },
): string {
  const active = new Set(args.users.filter((u) => u.active).map((u) => u.userId));
  const status = (k: StaffKey) => {
    if (k.revokedAt) return html`${tone('muted', 'revoked')} ${timeTag(iso(k.revokedAt))}`;
    if (k.ownerUserId && !active.has(k.ownerUserId)) return tone('bad', 'owner deactivated');
    return tone('ok', 'active');
  };
  const rows = args.keys.map(
    (k) => html`<tr>
      <td>${k.name}</td><td>${k.role}</td><td>${timeTag(iso(k.createdAt))}</td>
      <td>${k.lastUsedAt ? timeTag(iso(k.lastUsedAt)) : html`<span class="muted">never</span>`}</td>
      <td>${status(k)}</td>
      <td>${
        k.revokedAt
          ? ''
          : html`<a class="button small danger" href="/app/admin/keys/${k.id}/revoke">Revoke<span
              class="visually-hidden"> ${k.name}</span></a>`
      }</td>
    </tr>`,
  );
  const created = args.created
    ? html`<section class="panel" id="new-key" aria-labelledby="new-key-title">
  <h2 id="new-key-title">New key for ${args.created.name}</h2>
  <p><strong>Copy it now: it is shown only this once.</strong> Scope Ledger keeps only its hash.</p>
  <div class="copy-row"><label for="new-key-value" class="visually-hidden">The new key</label><input id="new-key-value"
    class="mono" readonly value="${args.created.key}"><button type="button" class="small copy" data-copy="new-key-value"
    hidden>Copy</button></div>
</section>`
    : '';
  const form = FormView.of('key', args.failure, { role: 'pm' });
  const create = html`<section class="panel" id="create-key"><h2>Create a key</h2>
  ${postForm(
    viewer,
    '/app/admin/keys',
    form,
    html`<div class="grid two">
      ${inputField(form, 'name', { label: 'Name', required: true, hint: 'Whose or what it is, e.g. "Priya (PM)".' })}
      ${selectField(form, 'role', ROLE_CHOICES, { label: 'Role' })}
      ${selectField(
        form,
        'ownerUserId',
        [
          { value: '', label: 'Me' },
          ...args.users.filter((u) => u.active).map((u) => ({ value: u.userId, label: `${u.name} (${u.role})` })),
        ],
        { label: 'Belongs to', hint: 'The key acts as this user; its role may not exceed theirs.' },
      )}
    </div>
    <div class="actions"><button type="submit" class="primary">Create key</button></div>`,
  )}
</section>`;
  const body = html`${pageHead({
    eyebrow: 'Admin',
    title: 'API keys',
    lead: 'Keys sign in to these pages and the API. Last use is recorded to the minute.',
  })}
${created}
<section class="panel flush">${
    rows.length > 0
      ? dataTable('data', ['Name', 'Role', 'Created', 'Last used', 'Status', ACTIONS_COLUMN], rows)
      : html`<p class="panel-text muted">No keys yet.</p>`
  }</section>
${create}`;
  return adminShell(viewer, 'API keys', body, args.notice);
}

/** The confirmation step before a key is revoked. */
export function revokeKeyPage(viewer: Viewer, key: StaffKey): string {
  const body = html`${pageHead({ eyebrow: 'Admin · API keys', title: `Revoke the key ${key.name}?` })}
<section class="panel">
  <p>Whoever uses this ${key.role} key is signed out and every request with it is refused from now on. This cannot be
  undone: a new key would have to be created and handed out.</p>
  ${postForm(
    viewer,
    `/app/admin/keys/${key.id}/revoke`,
    undefined,
    html`<div class="actions"><button type="submit" class="danger">Revoke ${key.name}</button>
      <a class="button" href="/app/admin/keys">Keep the key</a></div>`,
  )}
</section>`;
  return adminShell(viewer, 'Revoke a key', body);
}

const OUTBOX_TONES: Record<OutboxStatus, string> = { pending: 'warn', sent: 'ok', failed: 'bad', held: 'info' };
const KIND_LABELS: Record<string, string> = {
  sign_link: 'Signing link',
  reminder: 'Reminder',
  signing_code: 'Signing code',
};

/** The outbox: each email's status, attempts and error, filtered by status, with Retry now where it helps. */
export function outboxPage(
  viewer: Viewer,
  args: { messages: OutboxMessage[]; status?: OutboxStatus; sendsEmail: boolean; notice?: string; problem?: string },
): string {
  const rows = args.messages.map(
    (m) => html`<tr>
      <td class="mono">${m.id}</td>
      <td>${tone(OUTBOX_TONES[m.status], m.status)}</td>
      <td>${KIND_LABELS[m.kind] ?? m.kind.replace(/_/g, ' ')}</td>
      <td>${m.to.name} <span class="muted small">${m.to.email}</span></td>
      <td><details><summary>${m.subject}</summary><pre class="message-text">${m.text}</pre></details></td>
      <td class="num">${m.attempts}</td>
      <td>${m.lastError ? html`<span class="bad-text small">${m.lastError}</span>` : ''}</td>
      <td>${m.status === 'pending' ? timeTag(m.nextAttemptAt ?? m.createdAt) : ''}</td>
      <td>${
        isRetryable(m)
          ? postForm(
              viewer,
              `/app/admin/outbox/${m.id}/retry`,
              undefined,
              html`<button type="submit" class="small">Retry now<span class="visually-hidden"> email ${
                m.id
              }</span></button>`,
              'class="inline"',
            )
          : ''
      }</td>
    </tr>`,
  );
  const choices = [{ value: '', label: 'Every status' }, ...OUTBOX_STATUSES.map((s) => ({ value: s, label: s }))];
  const filter = html`<section class="panel filters">
  <form method="get" action="/app/admin/outbox" class="filter-row">
    <div class="field"><label for="outbox-status">Status</label><select id="outbox-status" name="status">${choices.map(
      (c) =>
        html`<option value="${c.value}"${c.value === (args.status ?? '') ? html` selected` : ''}>${c.label}</option>`,
    )}</select></div>
    <div class="actions"><button type="submit" class="primary">Show</button></div>
  </form>
</section>`;
  const columns = [
    'Id',
    'Status',
    'Kind',
    'Recipient',
    'Subject',
    numColumn('Attempts'),
    'Last error',
    'Next attempt',
    ACTIONS_COLUMN,
  ];
  const body = html`${pageHead({
    eyebrow: 'Admin',
    title: 'Outbox',
    lead: args.sendsEmail
      ? 'The newest 200 emails. Emails held while no SMTP server was set go out with Retry now.'
      : 'The newest 200 emails. Held: no SMTP server is configured, so they wait here to be passed on by hand.',
  })}
${filter}
<section class="panel flush">${
    rows.length > 0
      ? dataTable('data outbox', columns, rows)
      : html`<p class="panel-text muted">No emails${args.status ? ` with status ${args.status}` : ''}.</p>`
  }</section>`;
  return adminShell(viewer, 'Outbox', body, args.notice, args.problem);
}

/** Where the projections stand, parked events with Retry, and a rebuild with its progress. */
export function projectionsPage(
  viewer: Viewer,
  args: { status: ProjectionStatus; rebuild: RebuildStatus; notice?: string; problem?: string },
): string {
  const { status, rebuild } = args;
  const lag = status.lagCapped ? 'more than 1,000' : status.lag.toLocaleString('en-US');
  const tiles = html`<section class="tiles" aria-label="Projections">
    ${tile('This server', status.active ? 'Active' : 'Following', status.active ? 'runs the projections' : 'reads')}
    ${tile('Lag', lag, status.lag === 1 ? 'event behind' : 'events behind', status.lag > 0 && 'warn')}
    ${tile('Parked events', status.parked.length, 'could not be applied', status.parked.length > 0 && 'bad')}
  </section>
  <p class="muted small">Checkpoint <span class="mono">${status.checkpoint}</span>, head of the event store
    <span class="mono">${status.head}</span>.</p>`;
  const parkedRows = status.parked.map(
    (p) => html`<tr>
      <td class="mono">${p.streamId}</td><td class="num">${p.revision}</td><td>${p.eventType}</td>
      <td class="bad-text small">${p.error}</td><td>${timeTag(p.parkedAt)}</td>
      <td>${postForm(
        viewer,
        `/app/admin/projections/parked/${p.eventId}/retry`,
        undefined,
        html`<button type="submit" class="small">Retry<span class="visually-hidden"> ${p.eventType} ${p.streamId}
          revision ${p.revision}</span></button>`,
        'class="inline"',
      )}</td>
    </tr>`,
  );
  const parked = html`<section class="panel flush" aria-labelledby="parked-title">
  <h2 id="parked-title" class="panel-text">Parked events</h2>${
    parkedRows.length > 0
      ? dataTable('data', ['Stream', numColumn('Revision'), 'Event', 'Error', 'Parked', ACTIONS_COLUMN], parkedRows)
      : html`<p class="panel-text muted">None: every event is in the read models.</p>`
  }</section>`;
  const body = html`${pageHead({
    eyebrow: 'Admin',
    title: 'Read models',
    lead: 'The read models are rebuilt from the events; the events themselves are never changed.',
  })}
${tiles}
${rebuildPanel(viewer, rebuild)}
${parked}`;
  return adminShell(viewer, 'Read models', body, args.notice, args.problem);
}

function rebuildPanel(viewer: Viewer, rebuild: RebuildStatus): Html {
  const running = rebuild.state === 'running';
  const progress = html`<div class="rebuild-progress" data-rebuild-status="/app/admin/projections/rebuild"
    data-state="${rebuild.state}">
    <label for="rebuild-progress">Events replayed</label>
    <progress id="rebuild-progress" max="${Math.max(rebuild.total, 1)}" value="${rebuild.done}">${rebuild.done} of
      ${rebuild.total}</progress>
    <p role="status"><span data-rebuild-text>${rebuildText(rebuild)}</span></p>
  </div>`;
  return html`<section class="panel" aria-labelledby="rebuild-title">
  <h2 id="rebuild-title">Rebuild read models</h2>
  <p>Empties the read models and replays every event into them, in the background. Pages on this server wait for it
  rather than show half-filled tables; emails are not sent again.</p>
  ${rebuild.state === 'idle' ? '' : progress}
  ${
    running
      ? html`<p><a href="/app/admin/projections">Refresh</a> to see how far it has got.</p>`
      : postForm(
          viewer,
          '/app/admin/projections/rebuild',
          undefined,
          html`<div class="actions"><button type="submit" class="primary">Rebuild read models</button></div>`,
        )
  }
</section>`;
}

/** The progress in words; the page's script writes the same words as it polls. */
function rebuildText(rebuild: RebuildStatus): string {
  const counted = `${rebuild.done.toLocaleString('en-US')} of ${rebuild.total.toLocaleString('en-US')} events`;
  switch (rebuild.state) {
    case 'idle':
      return 'Not rebuilt since this server started.';
    case 'running':
      return `Rebuilding: ${counted}.`;
    case 'done':
      return `Done: ${counted} in ${((rebuild.milliseconds ?? 0) / 1000).toFixed(1)} s.`;
    case 'failed':
      return `Failed after ${counted}: ${rebuild.error ?? 'unknown error'}`;
  }
}

/** The audit trail's verification: one row per stream, broken ones first with their first broken link. */
export function auditPage(viewer: Viewer, args: { report?: AuditReport; projectNames: Map<string, string> }): string {
  const { report } = args;
  const label = (v: ChainVerification) => {
    if (v.streamId === 'catalogue') return html`Product catalogue`;
    const name = args.projectNames.get(v.streamId);
    return name
      ? html`${name} <span class="mono small muted">${v.streamId}</span>`
      : html`<span class="mono">${v.streamId}</span>`;
  };
  const ordered = report ? [...report.broken, ...report.results.filter((r) => r.valid)] : [];
  const rows = ordered.map(
    (v) => html`<tr>
      <td>${label(v)}</td><td class="num">${v.events}</td>
      <td>${v.valid ? tone('ok', 'intact') : tone('bad', 'broken')}</td>
      <td>${
        v.firstBreak
          ? html`revision ${v.firstBreak.revision.toString()} (${v.firstBreak.type}, event
            <span class="mono small">${v.firstBreak.eventId}</span>): ${v.firstBreak.reason}`
          : ''
      }</td>
    </tr>`,
  );
  const summary = report
    ? html`<div class="notice ${report.broken.length === 0 ? 'ok' : 'bad'}" role="status">${
        report.broken.length === 0
          ? `Every hash chain is intact: ${plural(report.streams, 'stream')}, ${plural(report.events, 'event')}.`
          : `${plural(report.broken.length, 'stream')} of ${report.streams} broken. Events from the first broken ` +
            'revision on cannot be trusted.'
      }</div>
${
  rows.length > 0
    ? html`<section class="panel flush">${dataTable(
        'data',
        ['Stream', numColumn('Events'), 'Hash chain', 'First broken link'],
        rows,
      )}</section>`
    : ''
}`
    : '';
  const body = html`${pageHead({
    eyebrow: 'Admin',
    title: 'Audit trail',
    lead:
      'Each event carries the SHA-256 of its content and of the event before it. Verifying re-computes every ' +
      'chain: projects, the product catalogue and any other stream.',
  })}
<section class="panel"><form method="get" action="/app/admin/audit">
  <input type="hidden" name="verify" value="now">
  <div class="actions"><button type="submit" class="primary">${report ? 'Verify again' : 'Verify now'}</button></div>
</form></section>
${summary}`;
  return adminShell(viewer, 'Audit trail', body);
}

/** A timestamptz as text ("2026-12-07 05:50:00.123+00") in ISO 8601. */
function iso(text: string): string {
  return text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
}
