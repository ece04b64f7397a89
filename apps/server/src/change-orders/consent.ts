/**
 * The electronic-records consent of the US ESIGN Act: signing electronically, a paper copy, withdrawing.
 * Recorded with every signature: change the version whenever the text changes.
 */
export const CONSENT_VERSION = 'esign-consent-2026-12';

export function consentText(mspName: string, mspEmail?: string): string[] {
  const contact = mspEmail ? `${mspName} at ${mspEmail}` : mspName;
  return [
    'By checking the box you agree to sign this change order electronically and to receive it, and the records ' +
      `that go with it (its signed copy and the certificate of completion), from ${mspName} in electronic form. ` +
      'Your electronic signature has the same effect as a handwritten one. This consent covers this change order ' +
      'only.',
    `You may ask for a paper copy of this change order at no charge by contacting ${contact}. ` +
      'You can download and keep the PDF from this page at any time.',
    `You may withdraw your consent to electronic records before signing by declining here ` +
      `or by contacting ${contact}; ` +
      'withdrawing has no fee, and the order can then be signed on paper.',
    `If your email address changes, tell ${contact}, so that the signing link and your signed copy reach you.`,
    'To view and keep the record you need a current web browser (Chrome, Edge, Firefox or Safari), a PDF reader, ' +
      'and the email address the signing link was sent to.',
  ];
}
