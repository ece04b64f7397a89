import { formatMoney, ProjectState } from '@scope-ledger/domain';
import { consentText, CONSENT_VERSION } from '../change-orders/consent';
import { html, Html, page } from './html';

const date = (iso: string) => new Date(iso).toUTCString().replace(' GMT', ' UTC');

/** The page a client signer opens from the email: read, consent, sign or decline. */
export function signingPage(args: {
  token: string;
  state: ProjectState;
  changeOrderId: string;
  documentSha256: string;
  mspName: string;
  mspEmail?: string;
}): string {
  const { state, token } = args;
  const order = state.changeOrders[args.changeOrderId];
  const money = (n: number) => formatMoney(n, state.currency);
  const requests = order.changeRequestIds.map((id) => state.changeRequests[id]);
  const summary = html`
    <header class="masthead"><span class="brand">${args.mspName}</span><span class="muted">Change order for your review</span></header>
    <main class="sheet">
      <h1>CO-${order.number} · ${state.name}</h1>
      <p class="lead">For ${state.client.name}. Prepared for ${order.signer.name} (${order.signer.email}).</p>
      <dl class="facts">
        <div><dt>This order</dt><dd class="amount">${money(order.amount)}</dd></div>
        <div><dt>Issued</dt><dd>${date(order.issue!.issuedAt)}</dd></div>
        <div><dt>Respond by</dt><dd>${date(order.issue!.expiresAt)}</dd></div>
      </dl>
      <h2>What changes</h2>
      <ul class="requests">${requests.map((r) => html`<li><strong>CR-${r.number}</strong> ${r.title}${r.assessment?.noCharge ? html` <span class="tag">no charge</span>` : ''}</li>`)}</ul>
      <table class="lines">
        <thead><tr><th>Scope item</th><th>Change</th><th class="num">Hours</th><th class="num">Amount</th></tr></thead>
        <tbody>${order.lines.map(
          (l) => html`<tr><td>${l.ref} · ${l.item.title}</td><td>${l.op}</td><td class="num">${(l.centiHoursDelta / 100).toFixed(2)}</td><td class="num">${money(l.amount)}</td></tr>`,
        )}</tbody>
      </table>
      ${order.schedule.length > 0 ? html`<p>Schedule: ${order.schedule.map((s) => html`<span class="tag">${s.milestone} ${s.workingDays > 0 ? '+' : ''}${s.workingDays} working days</span> `)}</p>` : ''}
      <h2>The document</h2>
      <p>Read the full change order before you sign. <a href="/sign/${token}/document.pdf" target="_blank" rel="noopener">Open the PDF</a> (you can download and keep it).</p>
      <object class="pdf" data="/sign/${token}/document.pdf" type="application/pdf" aria-label="Change order PDF"><p>Your browser cannot show the PDF here: <a href="/sign/${token}/document.pdf">download it</a>.</p></object>
      <p class="hash">Document SHA-256: <code id="document-sha256">${args.documentSha256}</code></p>
  `;
  const form = html`
      <section class="sign" id="sign-section">
        <h2>Sign</h2>
        <div class="consent">
          <h3>Consent to electronic records and signature (${CONSENT_VERSION})</h3>
          ${consentText(args.mspName, args.mspEmail).map((p) => html`<p>${p}</p>`)}
          <label class="check"><input type="checkbox" id="consent" name="consent"> I agree to sign electronically and to receive records electronically.</label>
        </div>
        <label for="name">Type your full name</label>
        <input id="name" name="name" autocomplete="name" maxlength="200" value="${order.signer.name}">
        <label>Draw your signature (optional)</label>
        <canvas id="signature-pad" width="600" height="160" aria-label="Signature drawing area"></canvas>
        <button type="button" class="link" id="clear-signature">Clear drawing</button>
        <p class="error" id="sign-error" role="alert"></p>
        <div class="actions">
          <button type="button" class="primary" id="sign-button" data-token="${token}">Sign change order</button>
          <button type="button" class="secondary" id="show-decline">Decline…</button>
        </div>
        <div id="decline-panel" hidden>
          <label for="decline-reason">Why do you decline? The project manager will read this.</label>
          <textarea id="decline-reason" maxlength="2000" rows="3"></textarea>
          <button type="button" class="secondary" id="decline-button">Decline change order</button>
        </div>
      </section>
    </main>`;
  return page(`CO-${order.number} · ${state.name}`, html`${summary}${form}`, { scripts: ['/assets/sign.js'] });
}

/** Read-only page once the order is signed or declined. */
export function signedPage(args: { token: string; state: ProjectState; changeOrderId: string; mspName: string }): string {
  const { state } = args;
  const order = state.changeOrders[args.changeOrderId];
  const body =
    order.status === 'signed'
      ? html`<p class="ok">Signed by ${order.signature!.signer.name} on ${date(order.signature!.signedAt)}.</p>
         <p><a href="/sign/${args.token}/document.pdf">Download the signed and sealed PDF</a>, with its certificate of completion.</p>`
      : html`<p class="warn">Declined on ${date(order.closedAt!)}: ${order.closedReason ?? ''}</p>`;
  return page(
    `CO-${order.number} · ${state.name}`,
    html`<header class="masthead"><span class="brand">${args.mspName}</span></header>
      <main class="sheet"><h1>CO-${order.number} · ${state.name}</h1>${body}
      <p class="muted">This link is now read-only.</p></main>`,
  );
}

export function problemPage(title: string, detail: string): string {
  return page(title, html`<main class="sheet narrow"><h1>${title}</h1><p>${detail}</p>
    <p class="muted">If you expected to sign a change order, contact your project manager for a new link.</p></main>`);
}

export function assetsCss(): string {
  return `:root{--ink:#1d2330;--muted:#667085;--line:#e4e7ec;--accent:#1f5eff;--ok:#067647;--warn:#b54708;--bg:#f6f7f9}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
.masthead{display:flex;gap:1rem;align-items:baseline;padding:.9rem 1.5rem;background:#fff;border-bottom:1px solid var(--line)}
.brand{font-weight:700}.muted{color:var(--muted)}.sheet{max-width:900px;margin:1.5rem auto;background:#fff;border:1px solid var(--line);border-radius:10px;padding:1.5rem 2rem}
.narrow{max-width:560px}h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:1.6rem}h3{font-size:1rem}
.facts{display:flex;gap:2rem;flex-wrap:wrap}.facts dt{color:var(--muted);font-size:.85rem}.facts dd{margin:0;font-weight:600}.amount{font-size:1.3rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line)}th{font-size:.85rem;color:var(--muted)}.num{text-align:right;font-variant-numeric:tabular-nums}
.tag{display:inline-block;background:#eef2ff;color:#3538cd;border-radius:999px;padding:0 .5rem;font-size:.8rem}
.pdf{width:100%;height:520px;border:1px solid var(--line);border-radius:6px}.hash code{word-break:break-all;font-size:.8rem}
.consent{background:#f9fafb;border:1px solid var(--line);border-radius:8px;padding:.5rem 1rem;margin-bottom:1rem}.check{display:block;font-weight:600;margin:.5rem 0}
label{display:block;margin:.8rem 0 .3rem;font-weight:600}input:not([type=checkbox]),textarea{width:100%;padding:.55rem;border:1px solid #c9ced6;border-radius:6px;font:inherit}
canvas{border:1px dashed #98a2b3;border-radius:6px;width:100%;max-width:600px;touch-action:none;background:#fff}
.actions{display:flex;gap:.8rem;margin-top:1rem}button{font:inherit;border-radius:6px;padding:.6rem 1.1rem;border:1px solid transparent;cursor:pointer}
.primary{background:var(--accent);color:#fff}.secondary{background:#fff;border-color:#c9ced6}.link{background:none;color:var(--accent);padding:0}
.error{color:#b42318;min-height:1.2em}.ok{color:var(--ok);font-weight:600}.warn{color:var(--warn);font-weight:600}`;
}

export function assetsSignJs(): string {
  return `(() => {
  const $ = (id) => document.getElementById(id);
  const button = $('sign-button'); if (!button) return;
  const token = button.dataset.token;
  const canvas = $('signature-pad'); const ctx = canvas.getContext('2d'); let drawn = false; let drawing = false;
  ctx.lineWidth = 2.5; ctx.lineCap = 'round'; ctx.strokeStyle = '#1d2330';
  const point = (e) => { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height]; };
  canvas.addEventListener('pointerdown', (e) => { drawing = true; const [x, y] = point(e); ctx.beginPath(); ctx.moveTo(x, y); canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener('pointermove', (e) => { if (!drawing) return; const [x, y] = point(e); ctx.lineTo(x, y); ctx.stroke(); drawn = true; });
  canvas.addEventListener('pointerup', () => { drawing = false; });
  $('clear-signature').addEventListener('click', () => { ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false; });
  const post = async (path, body) => {
    const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (response.ok) { location.reload(); return; }
    const problem = await response.json().catch(() => ({ detail: 'Something went wrong. Please try again.' }));
    $('sign-error').textContent = problem.detail || problem.title;
  };
  button.addEventListener('click', () => {
    $('sign-error').textContent = '';
    if (!$('consent').checked) { $('sign-error').textContent = 'Please tick the consent box to sign electronically.'; return; }
    const body = { name: $('name').value, consent: true, documentSha256: $('document-sha256').textContent.trim() };
    if (drawn) body.signature = canvas.toDataURL('image/png');
    post('/sign/' + token, body);
  });
  $('show-decline').addEventListener('click', () => { $('decline-panel').hidden = false; $('decline-reason').focus(); });
  $('decline-button').addEventListener('click', () => post('/sign/' + token + '/decline', { reason: $('decline-reason').value }));
})();`;
}
