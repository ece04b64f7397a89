import { formatUtcTimestamp } from '@scope-ledger/documents';
import { html, type Html, page } from '../signing/html';
import type { DocumentCheckResult } from './document-check';

const TITLE = 'Check a change order';

/** The public page: a form to upload a PDF and, once one was checked, what it is. */
export function verifyPage(mspName: string | undefined, result?: DocumentCheckResult): string {
  return layout(mspName, result ? resultSection(result) : html``);
}

/** The page again with what was wrong with the upload, so the visitor can choose another file. */
export function verifyProblemPage(mspName: string | undefined, title: string, detail: string): string {
  return layout(
    mspName,
    html`<section id="result"><p class="warn">${title}</p><p class="error">${detail}</p></section>`,
  );
}

function layout(mspName: string | undefined, result: Html): string {
  return page(
    TITLE,
    html`<header class="masthead">
        ${mspName ? html`<span class="brand">${mspName}</span>` : ''}<span class="muted">${TITLE}</span>
      </header>
      <main class="sheet">
        <h1>${TITLE}</h1>
        <p class="lead">
          Upload a change order PDF to see which order and revision it is, whether it is exactly the document issued
          for signature or the signed and sealed one, and whether anything was added to it after sealing. The file is
          compared with the documents on record and not kept.
        </p>
        ${result}
        <form method="post" action="/api/verify" enctype="multipart/form-data">
          <label for="file">Change order PDF (up to 20 MB)</label>
          <input type="file" id="file" name="file" accept="application/pdf,.pdf" required>
          <div class="actions"><button type="submit" class="primary" id="check-button">Check the document</button></div>
        </form>
      </main>`,
  );
}

function resultSection(result: DocumentCheckResult): Html {
  if (!result.recognised) {
    return html`<section id="result">
      <p class="warn" id="verdict">${result.summary}</p>
      <p class="hash">SHA-256 of the file: <code>${result.sha256}</code></p>
    </section>`;
  }
  const { changeOrder, signature } = result;
  const copy = result.kind === 'sealed' ? 'Signed and sealed' : 'Issued for signature';
  return html`<section id="result">
    <p class="${result.intact ? 'ok' : 'warn'}" id="verdict">${result.summary}</p>
    <dl class="facts">
      <div><dt>Change order</dt><dd id="order-number">${changeOrder.number}</dd></div>
      <div><dt>Project</dt><dd>${changeOrder.project}</dd></div>
      <div><dt>Client</dt><dd>${changeOrder.client}</dd></div>
      <div><dt>${result.intact ? 'Document' : 'Begins with'}</dt><dd>${copy}</dd></div>
      ${signature ? html`<div><dt>Signed by</dt><dd id="signed-by">${signature.signerName}</dd></div>` : ''}
      ${signature ? html`<div><dt>Signed at</dt><dd>${formatUtcTimestamp(signature.signedAt)}</dd></div>` : ''}
      ${result.intact ? '' : html`<div><dt>Added after it</dt><dd>${result.appendedBytes} bytes</dd></div>`}
    </dl>
    <p class="hash">SHA-256 of the file: <code>${result.sha256}</code></p>
    ${
      result.intact
        ? ''
        : html`<p class="hash">SHA-256 of the ${result.kind} document: <code>${result.recordedSha256}</code></p>`
    }
  </section>`;
}
