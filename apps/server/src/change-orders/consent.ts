/**
 * The electronic-records consent of the US ESIGN Act: signing electronically, a paper copy, withdrawing.
 * Recorded with every signature: change the version whenever the text changes.
 */
export const CONSENT_VERSION = 'esign-consent-2026-11';

export function consentText(mspName: string, mspEmail?: string): string[] {
  const contact = mspEmail ? `${mspName} at ${mspEmail}` : mspName;
  return [
    'By checking the box you agree to sign this change order electronically and to receive it and related records ' +
      `from ${mspName} in electronic form. Your electronic signature has the same effect as a handwritten one.`,
    `You may ask for a paper copy of this change order at no charge by contacting ${contact}. ` +
      'You can download and keep the PDF from this page at any time.',
    `You may withdraw your consent to electronic records before signing by declining here ` +
      `or by contacting ${contact}; ` +
      'withdrawing has no fee, and the order can then be signed on paper.',
    'To view and keep the record you need a web browser and a PDF reader.',
  ];
}
