import { conflict, DomainError } from '../shared/domain-error';
import {
  CommandOf,
  SIGNING_CODE_LIFETIME_MS,
  SIGNING_CODE_MAX_ATTEMPTS,
  SIGNING_CODE_MAX_SENDS,
  SIGNING_CODE_RESEND_MS,
  VIEW_RECORD_INTERVAL_MS,
} from './commands';
import { staleFiguresRefusal } from './change-orders';
import { event, ProjectEvent } from './events';
import { orderNumber, requireOrder, signingRefusal } from './rules';
import { ChangeOrderState, ProjectState, SigningCeremony } from './state';

/**
 * The signer's steps through one signing link: the document served, consent given (or withdrawn), the
 * one-time code when the order asks for one. A re-issue or revision brings a new link, and with it a new
 * ceremony: the steps taken on the old link count for nothing.
 */
export function currentCeremony(order: ChangeOrderState): SigningCeremony | undefined {
  const link = order.issue?.signingTokenSha256;
  if (link === undefined) return undefined;
  const ceremony = order.ceremony;
  return ceremony?.signingTokenSha256 === link ? ceremony : { signingTokenSha256: link, codesSent: 0 };
}

/** Why the signer cannot sign yet, though the order is open for signature; undefined when every step is done. */
export function ceremonyRefusal(order: ChangeOrderState): DomainError | undefined {
  const ceremony = currentCeremony(order);
  if (ceremony?.withdrawnAt) return conflict(withdrawnMessage(order));
  if (!ceremony?.servedAt) return conflict('Open the change order before signing it');
  if (!ceremony.consent) return conflict('Give your consent to sign electronically first');
  if (order.signerVerification === 'email_code' && !ceremony.verifiedAt)
    return conflict('Enter the one-time code emailed to you before signing');
  return undefined;
}

export function recordDocumentDownload(
  command: CommandOf<'RecordDocumentDownload'>,
  state: ProjectState,
): ProjectEvent[] {
  const order = requireOrder(state, command.changeOrderId);
  const ceremony = currentCeremony(order);
  if (!ceremony || (order.status !== 'issued' && order.status !== 'signed')) return [];
  // Like views: once an hour per copy, so a reload loop does not flood the stream.
  const last = ceremony.lastDownloadedAt?.[command.copy];
  if (last && Date.parse(command.now) - Date.parse(last) < VIEW_RECORD_INTERVAL_MS) return [];
  const { changeOrderId, copy, now: downloadedAt, ip, userAgent } = command;
  return [event('ChangeOrderDocumentDownloaded', { changeOrderId, copy, downloadedAt, ip, userAgent })];
}

export function recordSignerConsent(command: CommandOf<'RecordSignerConsent'>, state: ProjectState): ProjectEvent[] {
  const order = openOrder(state, command.changeOrderId, command.now);
  const ceremony = currentCeremony(order)!;
  if (ceremony.withdrawnAt) throw conflict(withdrawnMessage(order));
  // Consent to sign an order whose figures no longer hold would be consent to nothing the signer can sign.
  const stale = staleFiguresRefusal(state, order);
  if (stale) throw stale;
  if (!ceremony.servedAt) throw conflict('Open the change order before giving your consent');
  // Consenting twice to the same text adds nothing.
  if (ceremony.consent?.disclosureSha256 === command.disclosureSha256) return [];
  const { changeOrderId, disclosureVersion, disclosureSha256, now: consentedAt, ip, userAgent } = command;
  return [event('SignerConsented', { changeOrderId, disclosureVersion, disclosureSha256, consentedAt, ip, userAgent })];
}

export function withdrawSignerConsent(
  command: CommandOf<'WithdrawSignerConsent'>,
  state: ProjectState,
): ProjectEvent[] {
  const order = openOrder(state, command.changeOrderId, command.now);
  if (currentCeremony(order)!.withdrawnAt) return [];
  const { changeOrderId, now: withdrawnAt, ip, userAgent } = command;
  return [event('SignerConsentWithdrawn', { changeOrderId, withdrawnAt, ip, userAgent })];
}

export function sendSigningCode(command: CommandOf<'SendSigningCode'>, state: ProjectState): ProjectEvent[] {
  const order = openOrder(state, command.changeOrderId, command.now);
  const ceremony = codeCeremony(order);
  if (ceremony.verifiedAt) throw conflict('Your code is already confirmed; you can sign now');
  if (ceremony.codesSent >= SIGNING_CODE_MAX_SENDS)
    throw conflict('Too many codes were sent for this link; contact the sender of this change order');
  const sinceLast = ceremony.code ? Date.parse(command.now) - Date.parse(ceremony.code.sentAt) : Infinity;
  if (sinceLast < SIGNING_CODE_RESEND_MS)
    throw conflict('A code was sent less than a minute ago; check your email, or ask again in a minute');
  const { changeOrderId, now: sentAt, codeSalt, codeSha256 } = command;
  const expiresAt = new Date(Date.parse(sentAt) + SIGNING_CODE_LIFETIME_MS).toISOString();
  return [event('SigningCodeSent', { changeOrderId, sentAt, codeSalt, codeSha256, expiresAt })];
}

/** A wrong code is recorded (SigningCodeRejected), so that the attempts left hold across servers and restarts. */
export function verifySigningCode(command: CommandOf<'VerifySigningCode'>, state: ProjectState): ProjectEvent[] {
  const order = openOrder(state, command.changeOrderId, command.now);
  const ceremony = codeCeremony(order);
  if (ceremony.verifiedAt) return [];
  const code = ceremony.code;
  if (!code) throw conflict('Ask for a code first');
  if (code.failedAttempts >= SIGNING_CODE_MAX_ATTEMPTS) throw conflict('Too many wrong codes; ask for a new code');
  if (Date.parse(command.now) >= Date.parse(code.expiresAt)) throw conflict('The code has expired; ask for a new code');
  const { changeOrderId, now, ip } = command;
  if (command.codeSha256 !== code.codeSha256)
    return [event('SigningCodeRejected', { changeOrderId, rejectedAt: now, ip })];
  return [event('SigningCodeVerified', { changeOrderId, verifiedAt: now, ip })];
}

/** Wrong codes the signer may still try on the last code sent. */
export function codeAttemptsLeft(order: ChangeOrderState): number {
  return SIGNING_CODE_MAX_ATTEMPTS - (currentCeremony(order)?.code?.failedAttempts ?? 0);
}

/** The order's ceremony after one of its events; the fold calls this for every ceremony event and for views. */
export function ceremonyAfter(order: ChangeOrderState, change: ProjectEvent): ChangeOrderState {
  const ceremony = currentCeremony(order);
  if (!ceremony) return order;
  const next = (changes: Partial<SigningCeremony>) => ({ ...order, ceremony: { ...ceremony, ...changes } });
  switch (change.type) {
    case 'ChangeOrderViewed':
      return next({ servedAt: ceremony.servedAt ?? change.data.viewedAt });
    case 'ChangeOrderDocumentDownloaded': {
      const { copy, downloadedAt } = change.data;
      return next({
        servedAt: ceremony.servedAt ?? downloadedAt,
        lastDownloadedAt: { ...ceremony.lastDownloadedAt, [copy]: downloadedAt },
      });
    }
    case 'SignerConsented': {
      const { disclosureVersion, disclosureSha256, consentedAt } = change.data;
      return next({ consent: { disclosureVersion, disclosureSha256, consentedAt } });
    }
    case 'SignerConsentWithdrawn':
      return next({ withdrawnAt: change.data.withdrawnAt });
    case 'SigningCodeSent': {
      const { sentAt, codeSalt, codeSha256, expiresAt } = change.data;
      return next({
        code: { sentAt, codeSalt, codeSha256, expiresAt, failedAttempts: 0 },
        codesSent: ceremony.codesSent + 1,
      });
    }
    case 'SigningCodeRejected':
      return next({ code: ceremony.code && { ...ceremony.code, failedAttempts: ceremony.code.failedAttempts + 1 } });
    case 'SigningCodeVerified':
      return next({ verifiedAt: change.data.verifiedAt });
    default:
      return order;
  }
}

/** The order as the signer's steps need it: open for signature. */
function openOrder(state: ProjectState, changeOrderId: string, now: string): ChangeOrderState {
  const order = requireOrder(state, changeOrderId);
  const refusal = signingRefusal(order, now);
  if (refusal) throw refusal;
  return order;
}

/** The ceremony of an order that asks for a code, once the signer has consented. */
function codeCeremony(order: ChangeOrderState): SigningCeremony {
  if (order.signerVerification !== 'email_code') throw conflict(`${orderNumber(order)} needs no one-time code`);
  const ceremony = currentCeremony(order)!;
  if (ceremony.withdrawnAt) throw conflict(withdrawnMessage(order));
  if (!ceremony.consent) throw conflict('Give your consent to sign electronically first');
  return ceremony;
}

function withdrawnMessage(order: ChangeOrderState): string {
  return (
    `You withdrew your consent to sign electronically; ${orderNumber(order)} can no longer be signed through this ` +
    'link. Ask the sender for a paper copy to sign'
  );
}
