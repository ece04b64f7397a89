import {
  ChangeOrderDocumentModel,
  DocumentCompany,
  formatInTimeZone,
  formatUtcTimestamp,
  LineItemFigures,
} from '@scope-ledger/documents';
import {
  ChangeOrderState,
  formatHours,
  formatMoney,
  LineOp,
  orderNumber,
  ProjectState,
  SignerVerification,
  SIGNING_CODE_MAX_ATTEMPTS,
  SigningCeremony,
} from '@scope-ledger/domain';
import { CONSENT_VERSION } from '../change-orders/consent';
import { Html, html, page } from './html';

/**
 * A solid block of a checked #rrggbb colour as an image: the pages' policy allows data: images but no inline
 * styles, so brand colours are drawn, not styled.
 */
export function colourImage(colour: string, className: string, alt = ''): Html {
  const hex = /^#[0-9a-f]{6}$/i.test(colour) ? colour : '#000000';
  const svg =
    `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8' preserveAspectRatio='none'>` +
    `<rect width='8' height='8' fill='${hex}'/></svg>`;
  return html`<img class="${className}" src="data:image/svg+xml,${encodeURIComponent(svg)}" alt="${alt}">`;
}

/** The company as the issued order names it: its logo, its name, and a rule in its colour. */
export function masthead(msp: DocumentCompany, aside?: Html | string): Html {
  const logo = msp.logo
    ? html`<img class="brand-logo" src="data:${msp.logo.mediaType};base64,${msp.logo.base64}" alt="">`
    : '';
  return html`<header class="masthead">${logo}<span class="brand">${msp.name}</span>${
    aside ? html`<span class="muted">${aside}</span>` : ''
  }</header>${msp.brandColour ? colourImage(msp.brandColour, 'brand-rule') : ''}`;
}

const CHANGE_LABELS: Readonly<Record<LineOp, string>> = { add: 'Add', modify: 'Modify', remove: 'Remove' };

/** Read, consent, sign or decline: all from the issued document's model, so the page and the PDF agree. */
export function signingPage(
  token: string,
  d: ChangeOrderDocumentModel,
  documentSha256: string,
  step: SigningStep,
): string {
  const money = (n: number) => formatMoney(n, d.project.currency);
  // A modified item's cost as changed and as it stood, each a product that holds; the amount is their difference.
  const costed = (item: LineItemFigures) =>
    `${formatHours(item.centiHours)} h × ${money(item.rate)}` +
    (item.fixedCost !== 0 ? ` + ${money(item.fixedCost)}` : '') +
    ` = ${money(item.cost)}`;
  const documentUrl = `/sign/${token}/document.pdf`;
  const summary = html`
    ${masthead(d.msp, 'Change order for your review')}
    <main class="sheet">
      <h1>${d.order.number} · ${d.project.name}</h1>
      <p class="lead">For ${d.client.name}. Prepared for ${d.order.signer.name} (${d.order.signer.email}).</p>
      <dl class="facts">
        <div><dt>Contract before this order</dt><dd>${money(contractBefore(d))}</dd></div>
        <div><dt>This order</dt><dd class="amount">${money(d.price.thisOrder)}</dd></div>
        <div><dt>New contract total</dt><dd>${money(d.price.newContractTotal)}</dd></div>
        <div><dt>Respond by</dt><dd>${when(d.order.expiresAt, step.timeZone)}</dd></div>
        <div><dt>Issued</dt><dd>${when(d.order.issuedAt, step.timeZone)}</dd></div>
      </dl>
      <h2>What changes</h2>
      <ul class="requests">${d.requests.map(
        (r) =>
          html`<li>
            <strong>${r.number}</strong> ${r.title} <span class="muted">(${r.source})</span>${
              r.noCharge
                ? html` <span class="tag">no charge</span>`
                : r.scheduleOnly
                  ? html` <span class="tag">schedule only</span>`
                  : ''
            }
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
                    >${CHANGE_LABELS[l.op]} · ${l.changeRequestNumber}</span>${
                      l.modified && !l.noCharge
                        ? html`<span class="sub"
                            >Now ${costed(l.modified.after)}; was ${costed(l.modified.before)}</span
                          >`
                        : ''
                    }
                </td>
                <td class="num">${formatHours(l.centiHours)}</td>
                <td class="num">${money(l.amount)}${l.noCharge ? html`<span class="sub">no charge</span>` : ''}</td>
              </tr>`,
          )}${oneOffProducts(d).map(
            (p) =>
              html`<tr>
                <td>
                  ${p.sku} · ${p.name}<span class="sub">${productDetail(p, money)}</span>
                </td>
                <td class="num">—</td>
                <td class="num">${money(p.amount)}${p.noCharge ? html`<span class="sub">no charge</span>` : ''}</td>
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
      ${recurringCharges(d, money)}
      <h2>Schedule</h2>
      ${
        d.schedule.length === 0
          ? html`<p>No milestone moves.</p>`
          : html`<div class="table-scroll"><table class="schedule">
          <thead><tr>
            <th>Milestone</th><th>Baseline date</th><th>Before this order</th><th>With this order</th>
            <th class="num">Working days</th>
          </tr></thead>
          <tbody>${d.schedule.map(
            (s) =>
              html`<tr>
                <td>${s.milestone} · ${s.name}</td>
                <td class="date">${s.baselineDue}</td>
                <td class="date">${s.dueBefore ?? s.baselineDue}</td>
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
  return page(`${d.order.number} · ${d.project.name}`, html`${summary}${steps(token, d, step)}</main>`, {
    scripts: ['/assets/sign.js'],
  });
}

/** Where the signer stands on this link, and what to show them: the rules are the domain's. */
export interface SigningStep {
  readonly ceremony?: SigningCeremony;
  readonly signerVerification: SignerVerification;
  /** The disclosure paragraphs, naming the company as the document does. */
  readonly disclosure: readonly string[];
  /** A refused step posted from the page's own forms. */
  readonly error?: string;
  /** Why the order's figures no longer hold (another order was signed since it was issued): it cannot be signed. */
  readonly outOfDate?: string;
  /** The project's IANA time zone: times are written in it until sign.js shows them in the signer's own. */
  readonly timeZone?: string;
}

/** A moment written in the project's zone, naming it (UTC without one); sign.js shows it in the signer's zone. */
function when(iso: string, zone: string | undefined): Html {
  const text = zone ? formatInTimeZone(iso, zone) : formatUtcTimestamp(iso);
  return html`<time datetime="${iso}" data-local="seconds">${text}</time>`;
}

/** Consent first, then the one-time code when the order asks for one, then the signature; declining at any time. */
function steps(token: string, d: ChangeOrderDocumentModel, step: SigningStep): Html {
  const { ceremony, disclosure, error } = step;
  const consent = ceremony?.consent;
  const needsCode = step.signerVerification === 'email_code' && !ceremony?.verifiedAt;
  if (step.outOfDate)
    return html`
      <section class="sign" id="sign-section" data-token="${token}">
        <h2>Sign</h2>
        <p class="error" id="out-of-date" role="alert">${step.outOfDate}</p>
        <p>
          You do not need to do anything now: ${d.msp.name} will email you a revised order with today's figures.
          ${d.msp.email ? html`Questions: <a href="mailto:${d.msp.email}">${d.msp.email}</a>.` : ''}
        </p>
        ${declinePanel()}
      </section>`;
  return html`
      <section class="sign" id="sign-section" data-token="${token}">
        <h2>Sign</h2>
        ${error ? html`<p class="error" id="step-error" role="alert">${error}</p>` : ''}
        <div class="consent" id="consent-step">
          <h3>Consent to electronic records and signature (${CONSENT_VERSION})</h3>
          ${disclosure.map((p) => html`<p>${p}</p>`)}
          ${
            consent
              ? html`<p class="muted" id="consent-given">
                  You gave your consent on ${when(consent.consentedAt, step.timeZone)}.
                </p>`
              : html`<form method="post" action="/sign/${token}/consent">
                  <button type="submit" class="primary" id="consent-button"
                    >I agree to sign electronically and to receive records electronically</button>
                </form>`
          }
          <form method="post" action="/sign/${token}/consent/withdraw">
            <button type="submit" class="link" id="withdraw-button"
              >Withdraw consent and ask for a paper copy to sign instead</button>
          </form>
        </div>
        ${consent && needsCode ? codeStep(token, d, ceremony, step.timeZone) : ''}
        ${
          consent && ceremony?.verifiedAt
            ? html`<p class="muted" id="code-confirmed">
                Code confirmed on ${when(ceremony.verifiedAt, step.timeZone)}. You can sign now.
              </p>`
            : ''
        }
        ${consent && !needsCode ? signatureForm(token, d) : ''}
        ${declinePanel()}
      </section>`;
}

function codeStep(
  token: string,
  d: ChangeOrderDocumentModel,
  ceremony: SigningCeremony | undefined,
  timeZone: string | undefined,
): Html {
  const code = ceremony?.code;
  return html`
        <div class="code" id="code-step">
          <h3>One-time code</h3>
          <p>This order asks you to confirm a code emailed to ${d.order.signer.email} before you sign.</p>
          ${
            code
              ? html`<p class="muted" id="code-sent">
                  A code was sent on ${when(code.sentAt, timeZone)}; it works until
                  ${when(code.expiresAt, timeZone)}.
                </p>`
              : ''
          }
          <form method="post" action="/sign/${token}/code">
            <button type="submit" class="${code ? 'secondary' : 'primary'}" id="send-code"
              >${code ? 'Email me a new code' : 'Email me a code'}</button>
          </form>
          ${
            code && code.failedAttempts > 0
              ? html`<p class="error" id="code-error" role="alert">${wrongCodeMessage(code.failedAttempts)}</p>`
              : ''
          }
          ${
            code
              ? html`<form method="post" action="/sign/${token}/code/verify">
                  <label for="code">Code from the email</label>
                  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"
                    pattern="[0-9]{6}" maxlength="6" required>
                  <button type="submit" class="primary" id="verify-code">Confirm code</button>
                </form>`
              : ''
          }
        </div>`;
}

function signatureForm(token: string, d: ChangeOrderDocumentModel): Html {
  return html`
        <div id="signature-step">
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
          </div>
        </div>`;
}

/** Declining needs no consent: the signer can always say no. */
function declinePanel(): Html {
  return html`
        <div class="actions">
          <button type="button" class="secondary" id="show-decline" aria-controls="decline-panel">Decline…</button>
        </div>
        <div id="decline-panel" class="decline" hidden>
          <label for="decline-reason">Why do you decline? The project manager will read this.</label>
          <textarea id="decline-reason" maxlength="2000" rows="3"></textarea>
          <p class="error" id="decline-error" role="alert"></p>
          <button type="button" class="secondary" id="decline-button">Decline change order</button>
        </div>`;
}

/** After the signer withdrew consent: no signing through this link, and how to get the paper copy. */
export function withdrawnPage(token: string, d: ChangeOrderDocumentModel, withdrawnAt: string): string {
  const contact = d.msp.email ? html`${d.msp.name} at <a href="mailto:${d.msp.email}">${d.msp.email}</a>` : d.msp.name;
  return page(
    `${d.order.number} · ${d.project.name}`,
    html`${masthead(d.msp)}
      <main class="sheet"><h1>${d.order.number} · ${d.project.name}</h1>
      <p class="warn" id="consent-withdrawn">
        You withdrew your consent to sign electronically on ${formatUtcTimestamp(withdrawnAt)}.
      </p>
      <p>
        ${d.order.number} can no longer be signed electronically through this link. To sign it on paper, ask
        ${contact} for a paper copy; there is no charge.
      </p>
      <p>
        You can still <a href="/sign/${token}/document.pdf">download the PDF</a> to read and keep.
      </p></main>`,
  );
}

/** Read-only page once the order is signed or declined. */
export function signedPage(
  link: { token: string; state: ProjectState; order: ChangeOrderState },
  msp: DocumentCompany,
) {
  const { token, state, order } = link;
  const body =
    order.status === 'signed'
      ? html`<p class="ok">
            Signed by ${order.signature!.signer.name} on ${when(order.signature!.signedAt, state.timeZone)}.
          </p>
          <p>
            ${formatMoney(order.amount, state.currency)} · <a href="/sign/${token}/document.pdf"
              >Download the signed and sealed PDF</a>, with its certificate of completion.
          </p>`
      : html`<p class="warn">Declined on ${when(order.closedAt!, state.timeZone)}: ${order.closedReason ?? ''}</p>`;
  return page(
    `${orderNumber(order)} · ${state.name}`,
    html`${masthead(msp)}
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

/** Documents issued before the figure was recorded still say it: the original contract plus what was signed. */
type ProductLine = NonNullable<ChangeOrderDocumentModel['products']>[number];

const oneOffProducts = (d: ChangeOrderDocumentModel) => (d.products ?? []).filter((p) => p.billing === 'one_off');

/** "+2", "25 → 20": the units a product line adds or changes. */
function quantityChange(p: ProductLine): string {
  return p.quantityBefore === 0 ? `+${p.quantity}` : `${p.quantityBefore} → ${p.quantity}`;
}

/** "Add · CR-1 · +25 × USD 22.00": the change, its request, and the units at the client's unit price. */
function productDetail(p: ProductLine, money: (n: number) => string): string {
  return `${CHANGE_LABELS[p.op]} · ${p.changeRequestNumber} · ${quantityChange(p)} × ${money(p.unitPrice)}`;
}

/** Monthly lines apart from the one-off price: what changes per month, and the new monthly total. */
function recurringCharges(d: ChangeOrderDocumentModel, money: (n: number) => string): Html | string {
  const monthly = (d.products ?? []).filter((p) => p.billing === 'monthly');
  if (!d.recurring || (d.products ?? []).length === 0) return '';
  return html`<h2>Recurring monthly charges</h2>
    ${
      monthly.length === 0
        ? html`<p>No recurring charges change.</p>`
        : html`<div class="table-scroll"><table class="lines recurring">
            <thead><tr><th>Licence or service</th><th class="num">Per month</th></tr></thead>
            <tbody>${monthly.map(
              (p) =>
                html`<tr>
                  <td>
                    ${p.sku} · ${p.name}<span class="sub">${productDetail(p, money)}</span>
                  </td>
                  <td class="num">${money(p.amount)}${p.noCharge ? html`<span class="sub">no charge</span>` : ''}</td>
                </tr>`,
            )}</tbody>
          </table></div>`
    }
    <dl class="facts">
      <div><dt>Monthly before this order</dt><dd>${money(d.recurring.monthlyBefore)}</dd></div>
      <div><dt>Change per month</dt><dd class="amount">${money(d.recurring.monthlyChange)}</dd></div>
      <div><dt>New monthly total</dt><dd>${money(d.recurring.monthlyAfter)}</dd></div>
    </dl>`;
}

function contractBefore(d: ChangeOrderDocumentModel): number {
  return d.price.contractBefore ?? d.price.originalContract + d.price.previouslyApproved;
}

/** What the code step says after wrong codes, from the tries recorded: the same after a reload. */
function wrongCodeMessage(failedAttempts: number): string {
  const left = SIGNING_CODE_MAX_ATTEMPTS - failedAttempts;
  if (left <= 0) return 'That code is not right, and it was the last try; ask for a new code';
  return `That code is not right; ${left} ${left === 1 ? 'try' : 'tries'} left`;
}
