import { ProjectCommand } from './commands';
import { decide } from './decide';
import { foldEvents } from './state';
import { event, ProjectEvent } from './events';
import { given } from '../testing/decider-specification';
import {
  CO_1,
  co1Drafted,
  co1Issued,
  DISCLOSURE_SHA256,
  DOCUMENT_SHA256,
  SIGNED_AT,
  SIGNED_DOCUMENT_SHA256,
  signerConsented,
  withDraftOrder,
  withIssuedOrder,
  withOrderReadyToSign,
} from '../testing/project.fixture';

const CLIENT = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' };
const VIEWED_AT = '2026-03-09T13:50:00.000Z';
const viewed = (viewedAt = VIEWED_AT) => event('ChangeOrderViewed', { changeOrderId: CO_1, viewedAt });

const sign = (now = SIGNED_AT): ProjectCommand => ({
  type: 'SignChangeOrder',
  now,
  changeOrderId: CO_1,
  name: 'Priya Raman',
  consent: true,
  documentSha256: DOCUMENT_SHA256,
  signature: 'typed',
  signedDocumentSha256: SIGNED_DOCUMENT_SHA256,
  consentVersion: 'esign-consent-1',
  ...CLIENT,
});
const consent = (now = '2026-03-09T13:55:00.000Z'): ProjectCommand => ({
  type: 'RecordSignerConsent',
  now,
  changeOrderId: CO_1,
  disclosureVersion: 'esign-consent-1',
  disclosureSha256: DISCLOSURE_SHA256,
  ...CLIENT,
});
const withdraw = (now = '2026-03-09T13:58:00.000Z'): ProjectCommand => ({
  type: 'WithdrawSignerConsent',
  now,
  changeOrderId: CO_1,
  ...CLIENT,
});
const download = (now: string, copy: 'issued' | 'sealed' = 'issued'): ProjectCommand => ({
  type: 'RecordDocumentDownload',
  now,
  changeOrderId: CO_1,
  copy,
  ...CLIENT,
});
const sendCode = (now = '2026-03-09T13:56:00.000Z', codeSha256 = 'aa'.repeat(32)): ProjectCommand => ({
  type: 'SendSigningCode',
  now,
  changeOrderId: CO_1,
  codeSalt: 'c2FsdA',
  codeSha256,
});
const verify = (codeSha256: string, now = '2026-03-09T13:57:00.000Z'): ProjectCommand => ({
  type: 'VerifySigningCode',
  now,
  changeOrderId: CO_1,
  codeSha256,
  ip: CLIENT.ip,
});
const codeSent = (sentAt = '2026-03-09T13:56:00.000Z') =>
  event('SigningCodeSent', {
    changeOrderId: CO_1,
    sentAt,
    codeSalt: 'c2FsdA',
    codeSha256: 'aa'.repeat(32),
    expiresAt: new Date(Date.parse(sentAt) + 10 * 60_000).toISOString(),
  });
const rejected = (rejectedAt: string) =>
  event('SigningCodeRejected', { changeOrderId: CO_1, rejectedAt, ip: CLIENT.ip });

/** CO-1 drafted to ask for an emailed code, issued, opened and consented to. */
const withCodeOrderConsented: ProjectEvent[] = [
  ...withDraftOrder.slice(0, -1),
  event('ChangeOrderDrafted', { ...co1Drafted.data, signerVerification: 'email_code' }),
  co1Issued,
  viewed(),
  signerConsented(CO_1),
];

describe('the signing ceremony', () => {
  describe('before signing', () => {
    it('refuses a signature until the document was served through the link', () => {
      given(withIssuedOrder).when(sign()).thenThrows('conflict', 'Open the change order before signing it');
    });

    it('counts a download of the PDF as served, like a view of the page', () => {
      const downloaded = event('ChangeOrderDocumentDownloaded', {
        changeOrderId: CO_1,
        copy: 'issued',
        downloadedAt: VIEWED_AT,
        ...CLIENT,
      });
      given(withIssuedOrder).when(download(VIEWED_AT)).then([downloaded]);
      given([...withIssuedOrder, downloaded])
        .when(sign())
        .thenThrows('conflict', 'Give your consent to sign electronically first');
    });

    it('records downloads of one copy at most once an hour', () => {
      const downloaded = event('ChangeOrderDocumentDownloaded', {
        changeOrderId: CO_1,
        copy: 'issued',
        downloadedAt: VIEWED_AT,
        ...CLIENT,
      });
      given([...withIssuedOrder, downloaded])
        .when(download('2026-03-09T14:49:59.999Z'))
        .then([]);
      given([...withIssuedOrder, downloaded])
        .when(download('2026-03-09T14:50:00.000Z'))
        .then([{ ...downloaded, data: { ...downloaded.data, downloadedAt: '2026-03-09T14:50:00.000Z' } }]);
    });

    it('refuses a signature until consent is given', () => {
      given([...withIssuedOrder, viewed()])
        .when(sign())
        .thenThrows('conflict', 'Give your consent to sign electronically first');
    });

    it('refuses consent before the document was served', () => {
      given(withIssuedOrder).when(consent()).thenThrows('conflict', 'Open the change order before giving your consent');
    });

    it('records consent with the hash of the disclosure shown, once per text', () => {
      given([...withIssuedOrder, viewed()])
        .when(consent())
        .then([signerConsented(CO_1)]);
      given(withOrderReadyToSign).when(consent('2026-03-09T13:59:00.000Z')).then([]);
    });

    it('refuses consent on an order that is not awaiting signature', () => {
      given(withDraftOrder).when(consent()).thenThrows('conflict', 'CO-1 has not been issued');
    });
  });

  describe('withdrawing consent', () => {
    const withdrawn = event('SignerConsentWithdrawn', {
      changeOrderId: CO_1,
      withdrawnAt: '2026-03-09T13:58:00.000Z',
      ...CLIENT,
    });

    it('is recorded apart from declining, and the link can no longer sign or consent again', () => {
      given(withOrderReadyToSign).when(withdraw()).then([withdrawn]);
      given([...withOrderReadyToSign, withdrawn])
        .when(sign())
        .thenThrows('conflict', 'Ask the sender for a paper copy');
      given([...withOrderReadyToSign, withdrawn])
        .when(consent())
        .thenThrows('conflict', 'You withdrew your consent');
      given([...withOrderReadyToSign, withdrawn])
        .when(withdraw())
        .then([]);
    });
  });

  describe('the one-time code', () => {
    it('is asked for only after consent, and refuses the signature until confirmed', () => {
      given([...withCodeOrderConsented.slice(0, -1)])
        .when(sendCode())
        .thenThrows('conflict', 'Give your consent to sign electronically first');
      given(withCodeOrderConsented).when(sign()).thenThrows('conflict', 'Enter the one-time code emailed to you');
      given(withCodeOrderConsented).when(sendCode()).then([codeSent()]);
    });

    it('is refused on an order that asks for none', () => {
      given(withOrderReadyToSign).when(sendCode()).thenThrows('conflict', 'CO-1 needs no one-time code');
    });

    it('records a wrong code, confirms the right one, and then the order can be signed', () => {
      given([...withCodeOrderConsented, codeSent()])
        .when(verify('bb'.repeat(32)))
        .then([rejected('2026-03-09T13:57:00.000Z')]);
      const verified = event('SigningCodeVerified', {
        changeOrderId: CO_1,
        verifiedAt: '2026-03-09T13:57:00.000Z',
        ip: CLIENT.ip,
      });
      given([...withCodeOrderConsented, codeSent()])
        .when(verify('aa'.repeat(32)))
        .then([verified]);
      const [signed] = decide(sign(), foldEvents([...withCodeOrderConsented, codeSent(), verified]));
      expect(signed.type).toBe('ChangeOrderSigned');
    });

    it('allows five wrong tries per code, and a new code starts again', () => {
      const fiveWrong = [0, 1, 2, 3, 4].map((i) => rejected(`2026-03-09T13:57:0${i}.000Z`));
      given([...withCodeOrderConsented, codeSent(), ...fiveWrong])
        .when(verify('aa'.repeat(32)))
        .thenThrows('conflict', 'Too many wrong codes; ask for a new code');
      given([...withCodeOrderConsented, codeSent(), ...fiveWrong, codeSent('2026-03-09T14:00:00.000Z')])
        .when(verify('aa'.repeat(32), '2026-03-09T14:01:00.000Z'))
        .then([
          event('SigningCodeVerified', { changeOrderId: CO_1, verifiedAt: '2026-03-09T14:01:00.000Z', ip: CLIENT.ip }),
        ]);
    });

    it('expires after ten minutes', () => {
      given([...withCodeOrderConsented, codeSent()])
        .when(verify('aa'.repeat(32), '2026-03-09T14:06:00.000Z'))
        .thenThrows('conflict', 'The code has expired; ask for a new code');
    });

    it('is not sent again within a minute, nor more than five times for one link', () => {
      given([...withCodeOrderConsented, codeSent()])
        .when(sendCode('2026-03-09T13:56:59.999Z'))
        .thenThrows('conflict', 'A code was sent less than a minute ago');
      const fiveSent = [0, 1, 2, 3, 4].map((i) => codeSent(`2026-03-09T1${4 + i}:00:00.000Z`));
      given([...withCodeOrderConsented, ...fiveSent])
        .when(sendCode('2026-03-09T20:00:00.000Z'))
        .thenThrows('conflict', 'Too many codes were sent for this link');
    });
  });

  describe('a new link', () => {
    it('starts the ceremony again: a revision must be opened and consented to through its own link', () => {
      const revised = event('ChangeOrderRevised', {
        ...co1Issued.data,
        signingTokenSha256: 'cd'.repeat(32),
        issuedAt: '2026-03-09T13:59:00.000Z',
        revision: 1,
      });
      given([...withOrderReadyToSign, revised])
        .when(sign())
        .thenThrows('conflict', 'Open the change order before');
      // The view an hour-long throttle would skip is recorded: the new link has not been served yet.
      given([...withOrderReadyToSign, revised])
        .when({ type: 'RecordChangeOrderView', now: '2026-03-09T14:00:00.000Z', changeOrderId: CO_1 })
        .then([viewed('2026-03-09T14:00:00.000Z')]);
      given([...withOrderReadyToSign, revised, viewed('2026-03-09T14:00:00.000Z')])
        .when(sign())
        .thenThrows('conflict', 'Give your consent to sign electronically first');
    });
  });
});
