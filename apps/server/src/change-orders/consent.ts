/**
 * The disclosure the US ESIGN Act (section 101(c)) asks for before a consumer agrees to electronic records:
 * what the consent covers, the paper copy, withdrawing and what follows, keeping contact details current, and
 * what the signer needs to read and keep the record. The text shown is stored by its SHA-256 with each consent:
 * change the version whenever the text changes.
 */
export const CONSENT_VERSION = 'esign-consent-2026-12b';

/** Who the signer deals with: the company named on the order, as it was when the order was issued. */
export interface ConsentContact {
  readonly name: string;
  readonly email?: string;
}

export function consentText(msp: ConsentContact): string[] {
  const contact = msp.email ? `${msp.name} at ${msp.email}` : msp.name;
  return [
    `By giving your consent you agree to sign this change order electronically and to receive it, and the ` +
      `records that go with it (its signed copy and the certificate of completion), from ${msp.name} in ` +
      'electronic form. Your electronic signature has the same effect as a handwritten one. This consent covers ' +
      'this change order only.',
    `You may have a paper copy of this change order, before or after signing, at no charge: email ${contact} ` +
      'and ask for one. You can also download and print the PDF from this page at any time.',
    'You may withdraw your consent at any time before you sign, with the "Withdraw consent" button on this page ' +
      `or by emailing ${contact}. Withdrawing costs nothing. After you withdraw, this change order can no longer ` +
      `be signed electronically through this link; ${msp.name} will send it to you on paper to sign instead. ` +
      'Withdrawing does not undo a signature already given.',
    `If your email address changes, tell ${contact}, so that signing links and your signed copy reach you.`,
    'To read and keep the record you need a device with a current web browser (Chrome, Edge, Firefox or ' +
      'Safari), a PDF reader, the email address the signing link was sent to, and a printer or storage if you ' +
      'want to keep a copy.',
  ];
}

/** The disclosure as stored and hashed: its version, then its paragraphs, one per line. */
export function disclosureDocument(msp: ConsentContact): string {
  return [`Consent to electronic records and signature (${CONSENT_VERSION})`, ...consentText(msp)].join('\n') + '\n';
}
