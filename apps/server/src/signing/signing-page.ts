import { ChangeOrderDocumentModel, formatUtcTimestamp } from '@scope-ledger/documents';
import { ChangeOrderState, formatHours, formatMoney, LineOp, orderNumber, ProjectState } from '@scope-ledger/domain';
import { consentText, CONSENT_VERSION } from '../change-orders/consent';
import { html, page } from './html';

const CHANGE_LABELS: Readonly<Record<LineOp, string>> = { add: 'Add', modify: 'Modify', remove: 'Remove' };

/** Read, consent, sign or decline: all from the issued document's model, so the page and the PDF agree. */
export function signingPage(token: string, d: ChangeOrderDocumentModel, documentSha256: string): string {
  const money = (n: number) => formatMoney(n, d.project.currency);
  const documentUrl = `/sign/${token}/document.pdf`;
  const summary = html`
    <header class="masthead">
      <span class="brand">${d.msp.name}</span><span class="muted">Change order for your review</span>
    </header>
    <main class="sheet">
      <h1>${d.order.number} · ${d.project.name}</h1>
      <p class="lead">For ${d.client.name}. Prepared for ${d.order.signer.name} (${d.order.signer.email}).</p>
      <dl class="facts">
        <div><dt>This order</dt><dd class="amount">${money(d.price.thisOrder)}</dd></div>
        <div><dt>New contract total</dt><dd>${money(d.price.newContractTotal)}</dd></div>
        <div><dt>Respond by</dt><dd>${formatUtcTimestamp(d.order.expiresAt)}</dd></div>
        <div><dt>Issued</dt><dd>${formatUtcTimestamp(d.order.issuedAt)}</dd></div>
      </dl>
      <h2>What changes</h2>
      <ul class="requests">${d.requests.map(
        (r) =>
          html`<li>
            <strong>${r.number}</strong> ${r.title}${r.noCharge ? html` <span class="tag">no charge</span>` : ''}
          </li>`,
      )}</ul>
      <div class="table-scroll">
        <table class="lines">
          <thead><tr><th>Scope item</th><th class="num">Hours</th><th class="num">Amount</th></tr></thead>
          <tbody>${d.lines.map(
            (l) =>
              html`<tr>
                <td>
                  ${l.ref} · ${l.title}<span class="sub"
                    >${CHANGE_LABELS[l.op]} · ${l.changeRequestNumber}</span>
                </td>
                <td class="num">${formatHours(l.centiHours)}</td>
                <td class="num">${money(l.amount)}${l.noCharge ? html`<span class="sub">no charge</span>` : ''}</td>
              </tr>`,
          )}</tbody>
          <tfoot><tr>
            <td>Total</td>
            <td class="num">${formatHours(d.lines.reduce((sum, l) => sum + l.centiHours, 0))}</td>
            <td class="num">${money(d.price.thisOrder)}</td>
          </tr></tfoot>
        </table>
      </div>
      ${
        d.price.absorbed !== 0
          ? html`<p class="muted">
              No-charge work on this order, absorbed by ${d.msp.name} and not billed: ${money(d.price.absorbed)}.
            </p>`
          : ''
      }
      <h2>Schedule</h2>
      ${
        d.schedule.length === 0
          ? html`<p>No milestone moves.</p>`
          : html`<div class="table-scroll"><table class="schedule">
          <thead><tr><th>Milestone</th><th>Was due</th><th>Now due</th><th class="num">Working days</th></tr></thead>
          <tbody>${d.schedule.map(
            (s) =>
              html`<tr>
                <td>${s.milestone} · ${s.name}</td>
                <td class="date">${s.baselineDue}</td>
                <td class="date">${s.newDue}</td>
                <td class="num">${s.workingDays > 0 ? '+' : ''}${s.workingDays}</td>
              </tr>`,
          )}</tbody>
        </table></div>`
      }
      <h2>The document</h2>
      <p>
        Read the full change order before you sign. <a href="${documentUrl}" target="_blank" rel="noopener"
          >Open the PDF</a> (you can download and keep it).
      </p>
      <object class="pdf" data="${documentUrl}" type="application/pdf" aria-label="Change order PDF">
        <p>Your browser cannot show the PDF here: <a href="${documentUrl}">download it</a>.</p>
      </object>
      <p class="hash">Document SHA-256: <code id="document-sha256">${documentSha256}</code></p>
  `;
  const form = html`
      <section class="sign" id="sign-section">
        <h2>Sign</h2>
        <div class="consent">
          <h3>Consent to electronic records and signature (${CONSENT_VERSION})</h3>
          ${consentText(d.msp.name, d.msp.email).map((p) => html`<p>${p}</p>`)}
          <label class="check">
            <input type="checkbox" id="consent" name="consent"
            > I agree to sign electronically and to receive records electronically.</label>
        </div>
        <label for="name">Type your full name</label>
        <input id="name" name="name" autocomplete="name" maxlength="200" value="${d.order.signer.name}">
        <label for="signature-pad">Draw your signature (optional)</label>
        <div class="pad">
          <canvas id="signature-pad" width="600" height="160" aria-label="Signature drawing area"></canvas>
          <div class="pad-tools">
            <span class="muted">Sign with your mouse, finger or pen.</span
            ><button type="button" class="link" id="clear-signature">Clear drawing</button>
          </div>
        </div>
        <p class="error" id="sign-error" role="alert"></p>
        <div class="actions">
          <button type="button" class="primary" id="sign-button" data-token="${token}">Sign change order</button>
          <button type="button" class="secondary" id="show-decline" aria-controls="decline-panel">Decline…</button>
        </div>
        <div id="decline-panel" class="decline" hidden>
          <label for="decline-reason">Why do you decline? The project manager will read this.</label>
          <textarea id="decline-reason" maxlength="2000" rows="3"></textarea>
          <p class="error" id="decline-error" role="alert"></p>
          <button type="button" class="secondary" id="decline-button">Decline change order</button>
        </div>
      </section>
    </main>`;
  return page(`${d.order.number} · ${d.project.name}`, html`${summary}${form}`, { scripts: ['/assets/sign.js'] });
}

/** Read-only page once the order is signed or declined. */
export function signedPage(link: { token: string; state: ProjectState; order: ChangeOrderState }, mspName: string) {
  const { token, state, order } = link;
  const body =
    order.status === 'signed'
      ? html`<p class="ok">
            Signed by ${order.signature!.signer.name} on ${formatUtcTimestamp(order.signature!.signedAt)}.
          </p>
          <p>
            ${formatMoney(order.amount, state.currency)} · <a href="/sign/${token}/document.pdf"
              >Download the signed and sealed PDF</a>, with its certificate of completion.
          </p>`
      : html`<p class="warn">Declined on ${formatUtcTimestamp(order.closedAt!)}: ${order.closedReason ?? ''}</p>`;
  return page(
    `${orderNumber(order)} · ${state.name}`,
    html`<header class="masthead"><span class="brand">${mspName}</span></header>
      <main class="sheet"><h1>${orderNumber(order)} · ${state.name}</h1>${body}
      <p class="muted">This link is now read-only.</p></main>`,
  );
}

export function problemPage(title: string, detail: string): string {
  return page(
    title,
    html`<main class="sheet narrow"><h1>${title}</h1><p>${detail}</p>
    <p class="muted">If you expected to sign a change order, contact your project manager for a new link.</p></main>`,
  );
}

/** The stylesheet of the signing page and the staff pages. */
export const STYLESHEET = `:root{--ink:#1d2330;--muted:#667085;--line:#e4e7ec;--accent:#1f5eff;--ok:#067647;
--warn:#b54708;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
.masthead{display:flex;gap:1rem;align-items:baseline;padding:.9rem 1.5rem;background:#fff;
border-bottom:1px solid var(--line)}
.brand{font-weight:700}.muted{color:var(--muted)}
.sheet{max-width:900px;margin:1.5rem auto;background:#fff;border:1px solid var(--line);border-radius:10px;
padding:1.5rem 2rem}
.narrow{max-width:560px}h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:1.6rem}h3{font-size:1rem}
.facts{display:flex;gap:2rem;flex-wrap:wrap}.facts dt{color:var(--muted);font-size:.85rem}
.facts dd{margin:0;font-weight:600}.amount{font-size:1.3rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line)}th{font-size:.85rem;color:var(--muted)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.tag{display:inline-block;background:#eef2ff;color:#3538cd;border-radius:999px;padding:0 .5rem;font-size:.8rem}
.pdf{width:100%;height:520px;border:1px solid var(--line);border-radius:6px}
.hash code{word-break:break-all;font-size:.8rem}
.consent{background:#f9fafb;border:1px solid var(--line);border-radius:8px;padding:.5rem 1rem;margin-bottom:1rem}
.check{display:block;font-weight:600;margin:.5rem 0}
label{display:block;margin:.8rem 0 .3rem;font-weight:600}
input:not([type=checkbox]),textarea{width:100%;padding:.55rem;border:1px solid #c9ced6;border-radius:6px;font:inherit}
canvas{border:1px dashed #98a2b3;border-radius:6px;width:100%;max-width:600px;touch-action:none;background:#fff}
.actions{display:flex;gap:.8rem;margin-top:1rem}
button{font:inherit;border-radius:6px;padding:.6rem 1.1rem;border:1px solid transparent;cursor:pointer}
.primary{background:var(--accent);color:#fff}.secondary{background:#fff;border-color:#c9ced6}
.link{background:none;color:var(--accent);padding:0}
.error{color:#b42318;min-height:1.2em}.ok{color:var(--ok);font-weight:600}.warn{color:var(--warn);font-weight:600}
.sheet .facts{display:flex;flex-wrap:wrap;gap:.8rem 2rem;margin:1rem 0}.sheet .facts dd{white-space:nowrap}
.sub{display:block;color:var(--muted);font-size:.8rem}.lines tfoot td{font-weight:600;border-bottom:0}
.sheet td.num,.sheet .date{white-space:nowrap}.table-scroll{overflow-x:auto}
.pad{max-width:600px}.pad canvas{display:block}
.pad-tools{display:flex;justify-content:space-between;align-items:center;gap:1rem;margin-top:.3rem;font-size:.85rem}
.decline{margin-top:1.2rem;border-top:1px solid var(--line)}.decline button{margin-top:.6rem}
button:disabled{opacity:.6;cursor:progress}
@media (max-width:640px){.masthead{flex-direction:column;gap:0;padding:.8rem 1rem}
.sheet{margin:0;border-radius:0;border-width:0 0 1px;padding:1rem}
.sheet .facts{display:grid;grid-template-columns:1fr 1fr}.sheet .facts dd{white-space:normal}
.sheet th,.sheet td{padding:.4rem .3rem;font-size:.9rem}.pdf{display:none}.actions button{flex:1}}
/* Staff pages (/app) */
.app{min-height:100vh;font-size:14px;--bad:#b42318;--bad-bg:#fef3f2;--warn-bg:#fffaeb;--ok-bg:#ecfdf3;--info-bg:#eff4ff;
--field:#d0d5dd}
.app a{color:var(--accent);text-decoration:none}.app a:hover{text-decoration:underline}
.app .topbar{position:sticky;top:0;z-index:5;display:flex;align-items:center;gap:2rem;padding:0 2rem;height:56px;
background:#101828;color:#fff}
.app .topbar a{color:#d0d5dd}.app .topbar a:hover{color:#fff;text-decoration:none}
.app .brand,.app .brand-line{display:flex;align-items:center;gap:.6rem;font-weight:700;font-size:1rem}
.app .topbar .brand{color:#fff}
.app .logo{display:inline-grid;place-items:center;width:28px;height:28px;border-radius:7px;background:var(--accent);
color:#fff;font-size:.75rem;font-weight:800;letter-spacing:.02em}
.app .mainnav{display:flex;gap:.25rem;height:100%}
.app .mainnav a{display:flex;align-items:center;padding:0 .8rem;border-bottom:2px solid transparent;font-weight:500}
.app .mainnav a[aria-current=page]{color:#fff;border-bottom-color:var(--accent)}
.app .who{margin-left:auto;display:flex;align-items:center;gap:.6rem;font-size:.85rem}.app .who form{margin:0}
.app .role{background:#344054;color:#fff;border-radius:999px;padding:.05rem .55rem;font-size:.75rem;
text-transform:uppercase;letter-spacing:.04em}
.app .topbar button.quiet{color:#d0d5dd;background:none;border:1px solid #475467;padding:.3rem .7rem}
.app .topbar button.quiet:hover{color:#fff;border-color:#98a2b3}
.app .main{max-width:1320px;margin:0 auto;padding:1.25rem 2rem 3rem}
.app.bare .main.narrow{max-width:440px;padding-top:12vh}
.app .crumbs{display:flex;gap:.5rem;font-size:.8rem;color:var(--muted);margin-bottom:.75rem}
.app .crumbs span[aria-hidden]{color:#d0d5dd}
.app .page-head{display:flex;justify-content:space-between;align-items:flex-end;gap:1rem;margin-bottom:1rem;
flex-wrap:wrap}
.app .page-head h1{font-size:1.6rem;line-height:1.25;margin:.1rem 0 .25rem;word-break:break-word}
.app .page-head p{margin:0}
.app .eyebrow{font-size:.75rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);font-weight:600;
margin:0}
.app .head-actions{display:flex;gap:.5rem;flex-wrap:wrap}
.app .head-side{display:flex;flex-direction:column;align-items:flex-end;gap:.6rem}
.app .as-of{display:flex;align-items:center;gap:.5rem;flex-wrap:wrap;font-size:.85rem}
.app .as-of label{margin:0;font-weight:600}.app .as-of input{width:auto;padding:.35rem .5rem}
.app .as-of .field-error{flex-basis:100%;text-align:right}
.app .panel{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1.1rem 1.35rem;
margin-bottom:1.25rem;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.app .panel.flush{padding:0;overflow:hidden}.app .panel-head{padding:1rem 1.35rem .6rem}
.app .panel-head p{margin:.2rem 0 0;font-size:.85rem}
.app h2{font-size:1.05rem;margin:0 0 .6rem}.app .panel-head h2{margin:0}
.app h3,.app .h3{font-size:.9rem;margin:1.1rem 0 .4rem}
.app .panel.empty{text-align:center;padding:2.5rem}
.app .empty-line{padding:.25rem 1.35rem 1.2rem;color:var(--muted);margin:0}
.app .panel-text{padding:0 1.35rem;margin:.8rem 0}.app .description{white-space:pre-wrap;margin:1rem 0 0}
.app .tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:.75rem;margin-bottom:1.25rem}
.app .tile{background:#fff;border:1px solid var(--line);border-radius:10px;padding:.8rem 1rem;display:flex;
flex-direction:column;gap:.1rem;border-top:3px solid #eaecf0}
.app .tile-label{font-size:.75rem;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.app .tile-value{font-size:1.2rem;font-weight:700;font-variant-numeric:tabular-nums;white-space:nowrap}
.app .tile-sub{font-size:.78rem;color:var(--muted)}
.app .tile.tone-bad{border-top-color:#f04438}.app .tile.tone-warn{border-top-color:#fdb022}
.app .tile.tone-info{border-top-color:#528bff}
.app .grid{display:grid;gap:1.25rem}.app .grid.two{grid-template-columns:repeat(2,minmax(0,1fr))}
.app .grid.tight{gap:.85rem .75rem;margin-bottom:0}.app .grid>.panel{margin-bottom:0}.app .grid{margin-bottom:1.25rem}
.app .charts .panel{min-height:100%}
.app .chart{width:100%;height:auto;display:block;margin:.25rem 0 .75rem}
.app .table-wrap{overflow-x:auto}
.app table.data{width:100%;border-collapse:collapse;font-size:.85rem}
.app table.data th{font-size:.72rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600;
background:#f9fafb;padding:.55rem .75rem;border-bottom:1px solid var(--line);white-space:nowrap}
.app table.data td{padding:.6rem .75rem;border-bottom:1px solid #f2f4f7;vertical-align:top}
.app table.data td.num{white-space:nowrap}
.app table.data tbody tr:hover{background:#fcfcfd}.app table.data tbody tr:last-child td{border-bottom:0}
.app table.data tfoot th,.app table.data tfoot td{background:#f9fafb;border-top:1px solid var(--line);border-bottom:0;
font-weight:600;color:var(--ink);font-size:.85rem;text-transform:none;letter-spacing:0}
.app table.data.compact td{padding:.35rem .5rem}.app table.data.compact th{padding:.4rem .5rem}
.app table.data th:first-child,.app table.data td:first-child{padding-left:1.35rem}
.app table.data th:last-child,.app table.data td:last-child{padding-right:1.35rem}
.app table.data.compact th:first-child,.app table.data.compact td:first-child{padding-left:.5rem}
.app .panel:not(.flush) table.data th:first-child,.app .panel:not(.flush) table.data td:first-child{padding-left:.5rem}
.app td.project-cell{min-width:220px}.app a.sort{color:inherit}.app a.sort.active{color:var(--ink)}
.app .strong{font-weight:600}.app .small{font-size:.8rem}
.app .mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.82rem}
.app .nowrap{white-space:nowrap}
.app a.strong{color:var(--ink)}.app a.strong:hover{color:var(--accent)}
.app .up{color:#175cd3}.app .down{color:var(--ok)}.app .warn-text{color:var(--warn)}.app .bad-text{color:var(--bad)}
.app .ok-text{color:var(--ok)}
.app .was{color:var(--muted);text-decoration:line-through}
.app tr.state-removed td{color:var(--muted)}.app tr.state-removed td:nth-child(2){text-decoration:line-through}
.app tr.state-added{background:#f6fef9}.app tr.state-pending{background:#fffcf5}
.app .badge{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.74rem;font-weight:600;
white-space:nowrap;background:#f2f4f7;color:#344054}
.app .tone-ok.badge{background:var(--ok-bg);color:var(--ok)}
.app .tone-info.badge{background:var(--info-bg);color:#1849a9}
.app .tone-warn.badge{background:var(--warn-bg);color:var(--warn)}
.app .tone-bad.badge{background:var(--bad-bg);color:var(--bad)}.app .tone-muted.badge{background:#f9fafb;color:#98a2b3}
.app .risk{display:inline-block;min-width:2.2rem;text-align:center;border-radius:6px;padding:.1rem .4rem;
font-weight:700}
.app .risk.tone-ok{background:var(--ok-bg);color:var(--ok)}
.app .risk.tone-warn{background:var(--warn-bg);color:var(--warn)}
.app .risk.tone-bad{background:var(--bad-bg);color:var(--bad)}
.app .notice{border-radius:8px;padding:.7rem 1rem;margin-bottom:1rem;border:1px solid;font-size:.9rem}
.app .notice.ok{background:var(--ok-bg);border-color:#abefc6;color:#054f31;font-weight:400}
.app .notice.bad{background:var(--bad-bg);border-color:#fecdca;color:#7a271a}
.app .notice.info{background:var(--info-bg);border-color:#c7d7fe;color:#1d2939}.app .notice code{font-size:.8rem}
.app label{margin:0}.app .stack{display:flex;flex-direction:column;gap:.85rem}.app .stack>h3{margin-bottom:0}
.app .field{display:flex;flex-direction:column;gap:.3rem;min-width:0}.app .field label{font-weight:600;font-size:.82rem}
.app fieldset.field{border:0;padding:0;margin:0}.app legend{font-weight:600;font-size:.82rem;margin-bottom:.3rem}
.app input:where(:not([type=checkbox],[type=radio],[type=hidden])),.app select,.app textarea{width:100%;
padding:.5rem .6rem;border:1px solid var(--field);border-radius:7px;font:inherit;font-size:.88rem;background:#fff;
color:var(--ink)}
.app input:focus,.app select:focus,.app textarea:focus{outline:2px solid #84adff;outline-offset:0;border-color:#84adff}
.app [aria-invalid=true]{border-color:#f97066!important;background:#fffbfa!important}
.app .field-error{color:var(--bad);font-size:.78rem;margin:.15rem 0 0;font-weight:500}
.app .hint{color:var(--muted);font-size:.78rem;margin:0}
.app .form-problem{background:var(--bad-bg);border:1px solid #fecdca;color:#7a271a;border-radius:8px;
padding:.6rem .8rem;font-size:.85rem}.app .form-problem ul{margin:.3rem 0 0;padding-left:1.1rem}
.app .checkbox-field label{display:flex;gap:.5rem;align-items:center;font-weight:600;font-size:.85rem}
.app .choice{display:flex;gap:.55rem;align-items:flex-start;padding:.45rem .6rem;border:1px solid var(--line);
border-radius:7px;margin-bottom:.35rem;font-weight:400!important;font-size:.85rem!important;cursor:pointer}
.app .choice:hover{border-color:#84adff;background:#f5f8ff}.app .choice input{margin-top:.2rem}
.app table.form-rows{width:100%;border-collapse:collapse}
.app table.form-rows th{white-space:nowrap;font-size:.72rem;color:var(--muted);font-weight:600;text-align:left;
padding:0 .25rem .25rem;border:0;text-transform:uppercase;letter-spacing:.04em}
.app table.form-rows td{padding:.2rem .25rem;border:0;vertical-align:top}
.app table.form-rows input,.app table.form-rows select{padding:.4rem .5rem;font-size:.85rem}
.app table.form-rows input.ref{min-width:6.5rem;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.app table.form-rows input.num{text-align:right;min-width:5.5rem}
.app table.form-rows tr.row-error td{padding-top:0}.app .narrow-table{max-width:420px}
.app table.form-rows.rates{max-width:560px}
.app table.form-rows th.w-ref{width:8.5rem}.app table.form-rows th.w-role{width:13rem}
.app table.form-rows th.w-num{width:7rem}.app table.form-rows th.w-money{width:9rem}
.app table.form-rows th.w-date{width:11rem}.app table.form-rows th.w-op{width:7.5rem}
.app .add-row{align-self:flex-start}.app .narrow-panel{max-width:680px}
.app .panel-form{border-top:1px solid var(--line);background:#fafbfc;padding:1rem 1.35rem 1.25rem}
.app .panel-form h3{margin:0 0 .7rem;font-size:.95rem}
.app .form-grid{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:.85rem 1rem;align-items:start;
margin-top:.6rem}.app .span-2{grid-column:span 2}.app .span-4{grid-column:1/-1}.app .align-end{align-self:end}
.app .button,.app button{display:inline-flex;align-items:center;justify-content:center;gap:.35rem;font:inherit;
font-size:.85rem;font-weight:600;border-radius:7px;padding:.5rem .95rem;border:1px solid var(--field);background:#fff;
color:#344054;cursor:pointer;white-space:nowrap;text-decoration:none;line-height:1.3}
.app .button:hover,.app button:hover{background:#f9fafb;text-decoration:none}
.app .primary{background:var(--accent);border-color:var(--accent);color:#fff}
.app .primary:hover{background:#1849a9;border-color:#1849a9}
.app .danger{background:#fff;border-color:#fda29b;color:var(--bad)}.app .danger:hover{background:var(--bad-bg)}
.app .small{font-size:.78rem}.app .button.small,.app button.small{padding:.3rem .6rem;font-size:.78rem}
.app .wide{width:100%}
.app button.quiet{background:none;border:0;color:var(--accent);padding:.2rem 0;font-weight:600}
.app .actions{display:flex;gap:.6rem;align-items:center;flex-wrap:wrap;margin-top:.25rem}
.app .actions-cell{display:flex;flex-direction:column;gap:.4rem;align-items:flex-start;min-width:150px}
.app form.inline{display:inline;margin:0}
.app details.more>summary{white-space:nowrap;cursor:pointer;color:var(--accent);font-weight:600;font-size:.8rem;
list-style:none;user-select:none}.app details.more>summary::-webkit-details-marker{display:none}
.app details.more>summary::before{content:"▸ ";color:var(--muted)}.app details.more[open]>summary::before{content:"▾ "}
.app details.more[open]>summary{margin-bottom:.5rem}
.app .panel-details{background:#fff;border:1px solid var(--line);border-radius:10px;padding:.7rem 1.1rem;
margin-bottom:1rem}
.app .signing-link{width:100%;min-width:300px}
.app .chart-notes{margin:.5rem 0 0;display:grid;gap:.35rem;font-size:.8rem;border-top:1px solid var(--line);
padding-top:.7rem}.app .chart-notes div{display:flex;gap:.5rem}
.app .chart-notes dt{font-weight:600;min-width:9.5rem;color:#344054}.app .chart-notes dd{margin:0;color:var(--muted)}
.app .copy-row{display:flex;gap:.35rem}.app .copy-row input{font-size:.72rem;padding:.3rem .45rem}
.app .request-facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:.8rem 1.5rem;margin:0}
.app .request-facts dt{color:var(--muted);font-size:.8rem}.app .request-facts dd{margin:0;font-weight:600}
.app .request-facts dd .small{font-weight:400}
.app .filters{padding:.9rem 1.35rem}.app .filter-row input,.app .filter-row select{height:2.4rem}
.app .filter-row .actions{margin:0}.app .filter-row{display:flex;gap:.75rem;align-items:flex-end;flex-wrap:wrap}
.app .filter-row .field{width:180px}.app .filter-row .field:nth-child(3){width:240px}
.app .presets{display:flex;gap:1rem;margin:.6rem 0 0;font-size:.8rem}
.app .presets a[aria-current]{font-weight:700;color:var(--ink)}
.app ul.plain{list-style:none;padding:0;margin:0 0 .3rem}
.app .board{display:grid;grid-template-columns:repeat(5,minmax(220px,1fr));gap:.9rem;overflow-x:auto;
padding-bottom:.5rem;margin-bottom:1.25rem}
.app .column{background:#eef0f3;border-radius:10px;padding:.6rem;min-height:220px;border-top:3px solid #d0d5dd}
.app .column.full{border-top-color:#f79009}
.app .column header{display:flex;justify-content:space-between;align-items:center;padding:.1rem .25rem .55rem}
.app .column h2{font-size:.85rem;margin:0;text-transform:uppercase;letter-spacing:.05em;color:#344054}
.app .count{background:#fff;border-radius:999px;padding:0 .55rem;font-size:.75rem;font-weight:700;color:#475467}
.app .count.at-limit{background:#fef0c7;color:var(--warn)}
.app ol.cards{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.6rem}
.app .empty-col{color:#98a2b3;font-size:.8rem;text-align:center;margin:1.5rem 0}
.app .card{background:#fff;border:1px solid #e4e7ec;border-radius:8px;padding:.65rem .75rem;
box-shadow:0 1px 2px rgba(16,24,40,.06);display:flex;flex-direction:column;gap:.3rem}
.app .card p{margin:0}
.app .card-top{display:flex;justify-content:space-between;align-items:center;gap:.4rem;color:var(--muted)}
.app .card-title{font-weight:600;line-height:1.3}
.app .tag-order{background:var(--ok-bg);color:var(--ok)}
.app .card.unapproved{border-color:#fda29b;border-left:4px solid #d92d20;background:#fffbfa}
.app .unapproved-flag{color:var(--bad);font-weight:700;font-size:.78rem}
.app .card-error{color:var(--bad);background:var(--bad-bg);border-radius:6px;padding:.35rem .5rem;font-size:.78rem;
font-weight:600}
.app .progress svg{display:block;width:100%;height:6px}
.app .card-actions{display:flex;gap:.35rem;flex-wrap:wrap;margin-top:.15rem}
.app .card .stack{gap:.5rem;margin-top:.2rem}
.app .limit-fields{display:grid;grid-template-columns:repeat(5,minmax(0,140px));gap:.75rem;margin:.2rem 0 .5rem}
.app table.audit pre{background:#f9fafb;border:1px solid var(--line);border-radius:6px;padding:.5rem;font-size:.72rem;
max-height:280px;overflow:auto;white-space:pre-wrap;word-break:break-all}
.app .sign-in{padding:2rem}.app .sign-in h1{font-size:1.4rem;margin:1.2rem 0 .3rem}
.app .sign-in .brand-line{margin:0;color:var(--ink)}.app .sign-in .stack{margin-top:1.2rem}
.app .error-panel{padding:2rem;max-width:640px;margin:2rem auto}.app .error-panel h1{margin:.2rem 0 .6rem}
.app .visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap}
@media (max-width:1000px){.app .grid.two{grid-template-columns:1fr}.app .form-grid{grid-template-columns:1fr 1fr}
.app .topbar{gap:1rem;padding:0 1rem}.app .main{padding:1rem}.app .limit-fields{grid-template-columns:repeat(2,1fr)}}`;

export const SIGN_JS = `(() => {
  const $ = (id) => document.getElementById(id);
  const button = $('sign-button'); if (!button) return;
  const token = button.dataset.token;
  const buttons = [button, $('show-decline'), $('decline-button')];
  const canvas = $('signature-pad'); const ctx = canvas.getContext('2d'); let drawn = false; let drawing = false;
  ctx.lineWidth = 2.5; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.strokeStyle = '#1d2330';
  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
  };
  canvas.addEventListener('pointerdown', (e) => {
    drawing = true; const [x, y] = point(e); ctx.beginPath(); ctx.moveTo(x, y); canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return; const [x, y] = point(e); ctx.lineTo(x, y); ctx.stroke(); drawn = true;
  });
  const stop = () => { drawing = false; };
  canvas.addEventListener('pointerup', stop); canvas.addEventListener('pointercancel', stop);
  $('clear-signature').addEventListener('click', () => {
    ctx.clearRect(0, 0, canvas.width, canvas.height); drawn = false;
  });
  // One request at a time: a double click must not send the signature twice.
  const post = async (path, body, errorId) => {
    const error = $(errorId);
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const response = await fetch(path, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body)
      });
      if (response.ok) { location.reload(); return; }
      const problem = await response.json().catch(() => ({}));
      error.textContent = problem.detail || problem.title || 'Something went wrong. Please try again.';
    } catch {
      error.textContent = 'The connection failed. Check your network and try again.';
    }
    buttons.forEach((b) => { b.disabled = false; });
  };
  button.addEventListener('click', () => {
    $('sign-error').textContent = '';
    if (!$('consent').checked) {
      $('sign-error').textContent = 'Please tick the consent box to sign electronically.'; return;
    }
    if (!$('name').value.trim()) {
      $('sign-error').textContent = 'Please type your full name.'; $('name').focus(); return;
    }
    const body = { name: $('name').value, consent: true, documentSha256: $('document-sha256').textContent.trim() };
    if (drawn) body.signature = canvas.toDataURL('image/png');
    post('/sign/' + token, body, 'sign-error');
  });
  $('show-decline').addEventListener('click', () => {
    $('decline-panel').hidden = false; $('decline-reason').focus();
  });
  $('decline-button').addEventListener('click', () => {
    $('decline-error').textContent = '';
    if (!$('decline-reason').value.trim()) {
      $('decline-error').textContent = 'Please say why you decline.'; $('decline-reason').focus(); return;
    }
    post('/sign/' + token + '/decline', { reason: $('decline-reason').value }, 'decline-error');
  });
})();`;
