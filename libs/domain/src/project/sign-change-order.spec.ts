import { ProjectCommand } from './commands';
import { event, ProjectEvent } from './events';
import { liveCardOf } from './state';
import { given } from '../testing/decider-specification';
import {
  ADD_SI_5,
  assessed,
  CO_1,
  CO_2,
  CR_3,
  CR_4,
  DOCUMENT_SHA256,
  EXPIRES_AT,
  onOrder,
  orderDrafted,
  orderIssued,
  orderVoided,
  REMOVE_SI_3,
  SIGNED_AT,
  SIGNED_DOCUMENT_SHA256,
  SIGNER,
  withDraftOrder,
  withOrderReadyToSign,
  co1ReadToSign,
  withSignedOrder,
} from '../testing/project.fixture';

const sign = (changes: Partial<Extract<ProjectCommand, { type: 'SignChangeOrder' }>> = {}): ProjectCommand => ({
  type: 'SignChangeOrder',
  now: SIGNED_AT,
  changeOrderId: CO_1,
  name: 'Priya Raman',
  consent: true,
  documentSha256: DOCUMENT_SHA256,
  signature: 'typed',
  signedDocumentSha256: SIGNED_DOCUMENT_SHA256,
  consentVersion: 'esign-consent-1',
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0',
  ...changes,
});

const signed = (changes: Partial<Extract<ProjectEvent, { type: 'ChangeOrderSigned' }>['data']> = {}) =>
  event('ChangeOrderSigned', {
    changeOrderId: CO_1,
    signer: SIGNER,
    documentSha256: DOCUMENT_SHA256,
    signedDocumentSha256: SIGNED_DOCUMENT_SHA256,
    consentVersion: 'esign-consent-1',
    signature: 'typed',
    signedAt: SIGNED_AT,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    ...changes,
  });

/** CO-1 adds SI-4 (6 h, architect) and takes SI-1 to 48.25 h; the baseline holds cards C-1 to C-3. */
const admittedByCo1 = (at = SIGNED_AT): ProjectEvent[] => [
  event('BoardCardAdded', {
    cardId: 'C-4',
    number: 4,
    ref: 'SI-4',
    title: 'Conditional access baseline',
    role: 'architect',
    estimateCentiHours: 600,
    admittedBy: { kind: 'change_order', changeOrderId: CO_1 },
    addedAt: at,
  }),
  event('BoardCardEstimateRevised', {
    cardId: 'C-1',
    title: 'Migrate 120 mailboxes and 40 shared mailboxes',
    role: 'technician',
    estimateCentiHours: 4825,
    changeOrderId: CO_1,
    revisedAt: at,
  }),
];

describe('signing a change order', () => {
  it('admits the work in the same append: a card for an added item, a revised estimate for a modified one', () => {
    given(withOrderReadyToSign)
      .when(sign())
      .then([signed(), ...admittedByCo1()]);
  });

  it('cancels the card of a removed item', () => {
    // CO-1 removes SI-3 (card C-3) and adds SI-5 as goodwill (new card C-4)
    const issued: ProjectEvent[] = [
      ...assessed,
      orderDrafted(CO_1, 1, [CR_3, CR_4], [onOrder(REMOVE_SI_3, CR_3, 3), onOrder(ADD_SI_5, CR_4, 4, true)], {
        amount: -180_000,
        absorbed: 14_325,
      }),
      orderIssued(CO_1, { originalContract: 749_500, previouslyApproved: 0 }),
      ...co1ReadToSign,
    ];
    const after = given(issued)
      .when(sign())
      .then([
        signed(),
        event('BoardCardCancelled', { cardId: 'C-3', changeOrderId: CO_1, cancelledAt: SIGNED_AT }),
        event('BoardCardAdded', {
          cardId: 'C-4',
          number: 4,
          ref: 'SI-5',
          title: 'Printer driver clean-up',
          role: 'technician',
          estimateCentiHours: 150,
          admittedBy: { kind: 'change_order', changeOrderId: CO_1 },
          addedAt: SIGNED_AT,
        }),
      ]);
    expect(after.cards.get('C-3')?.cancelled).toBe(true);
    expect(['SI-1', 'SI-2', 'SI-3', 'SI-5'].map((ref) => liveCardOf(after, ref)?.id)).toEqual([
      'C-1',
      'C-2',
      undefined,
      'C-4',
    ]);
  });

  it('records the name as typed, the email the order was sent to, and the audit trail head', () => {
    given(withOrderReadyToSign)
      .when(
        sign({
          name: '  P. Raman ',
          signature: 'drawn',
          streamHeadHash: 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c',
        }),
      )
      .then([
        signed({
          signer: { name: 'P. Raman', email: SIGNER.email },
          signature: 'drawn',
          streamHeadHash: 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c',
        }),
        ...admittedByCo1(),
      ]);
  });

  it('is possible up to the last moment before expiry', () => {
    given(withOrderReadyToSign)
      .when(sign({ now: '2026-03-20T10:29:59.999Z' }))
      .then([signed({ signedAt: '2026-03-20T10:29:59.999Z' }), ...admittedByCo1('2026-03-20T10:29:59.999Z')]);
  });

  describe('is refused', () => {
    it('without consent to sign electronically', () => {
      given(withOrderReadyToSign)
        .when(sign({ consent: false }))
        .thenThrows('invalid', 'Consent to sign electronically is required', 'consent');
    });

    it('without a typed name', () => {
      given(withOrderReadyToSign)
        .when(sign({ name: '  ' }))
        .thenThrows('invalid', 'Type your full name', 'name');
    });

    it('when the signer reviewed a different document', () => {
      given(withOrderReadyToSign)
        .when(sign({ documentSha256: SIGNED_DOCUMENT_SHA256 }))
        .thenThrows('conflict', 'not the issued document (SHA-256 differs)');
    });

    it('as gone once the signing link has expired, even before the expiry is recorded', () => {
      given(withOrderReadyToSign)
        .when(sign({ now: EXPIRES_AT }))
        .thenThrows('gone', `CO-1 expired at ${EXPIRES_AT}`);
    });

    it('as gone for an order recorded as expired', () => {
      given([...withOrderReadyToSign, event('ChangeOrderExpired', { changeOrderId: CO_1, expiredAt: EXPIRES_AT })])
        .when(sign())
        .thenThrows('gone', 'CO-1 expired at');
    });

    it('as gone for a voided order', () => {
      given([...withOrderReadyToSign, orderVoided(CO_1, 'Revising')])
        .when(sign())
        .thenThrows('gone', 'CO-1 was voided');
    });

    it('as gone for a declined order', () => {
      given([
        ...withOrderReadyToSign,
        event('ChangeOrderDeclined', {
          changeOrderId: CO_1,
          reason: 'Too dear',
          declinedAt: '2026-03-07T09:00:00.000Z',
          ip: '203.0.113.7',
          userAgent: 'Mozilla/5.0',
        }),
      ])
        .when(sign())
        .thenThrows('gone', 'CO-1 was declined');
    });

    it('for an order already signed', () => {
      given(withSignedOrder).when(sign()).thenThrows('conflict', 'CO-1 is already signed');
    });

    it('for an order not yet issued', () => {
      given(withDraftOrder).when(sign()).thenThrows('conflict', 'CO-1 has not been issued');
    });

    it('for an order that does not exist', () => {
      given(withOrderReadyToSign)
        .when(sign({ changeOrderId: CO_2 }))
        .thenThrows('not_found');
    });
  });
});
