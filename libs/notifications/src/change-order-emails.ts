import { formatInTimeZone, formatUtcTimestamp } from '@scope-ledger/documents';
import {
  addCalendarDays,
  ChangeOrderState,
  dateTimeIn,
  formatMoney,
  IssuedFigures,
  isTimeZone,
  orderNumber,
  OrderLine,
  Person,
  ProjectHeader,
  revisionRestatesFigures,
} from '@scope-ledger/domain';
import { Html, html } from './html';

/** Who the emails speak for and where their links point. */
export interface MailIdentity {
  readonly mspName: string;
  /** Base URL of the server as clients reach it, without a trailing slash. */
  readonly publicUrl: string;
  /** Lines that close every email (name, address, phone, email); the name alone when absent. */
  readonly signature?: readonly string[];
  /** #rrggbb of the action button and the signature's rule; a standard blue when absent. */
  readonly brandColour?: string;
}

/**
 * Where the emails' identity comes from: fixed, or read for each batch (company settings may change). Read inside
 * the event processor's transaction, so it answers from memory.
 */
export type MailIdentitySource = MailIdentity | (() => MailIdentity);

export function currentMailIdentity(source: MailIdentitySource): MailIdentity {
  return typeof source === 'function' ? source() : source;
}

const DEFAULT_BUTTON_COLOUR = '#1d4ed8';

export interface EmailContent {
  readonly to: Person;
  readonly replyTo?: Person;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The link a client signer opens to read and sign one order. */
export function signingUrl(identity: MailIdentity, token: string): string {
  return `${identity.publicUrl}/sign/${token}`;
}

/** The signed, sealed PDF behind the same link. */
export function signedDocumentUrl(identity: MailIdentity, token: string): string {
  return `${signingUrl(identity, token)}/document.pdf`;
}

/** The project page staff open, scrolled to the order's row (anchored by its number, which revisions keep). */
export function staffOrderUrl(identity: MailIdentity, project: ProjectHeader, order: ChangeOrderState): string {
  return `${identity.publicUrl}/app/projects/${project.projectId}#order-${orderNumber({ number: order.number })}`;
}

/** Each email is written from the project and the order, and one more thing: a link, the manager, its parts. */
type OrderEmail<T> = (
  identity: MailIdentity,
  project: ProjectHeader,
  order: ChangeOrderState,
  extra: T,
) => EmailContent;

export const signLinkEmail: OrderEmail<string> = (identity, project, order, url) =>
  email(identity, project, order, {
    to: order.signer,
    replyTo: project.manager,
    subject: `Please sign change order ${orderNumber(order)} for ${project.name}`,
    paragraphs: [
      `${identity.mspName} asks you to review and sign change order ${orderNumber(order)} ` +
        `for the project ${projectLabel(project)}.`,
    ],
    action: { label: 'Review and sign', url },
    closing: [
      `The link is meant for you alone and expires at ${expiryIn(project, order.issue!.expiresAt)}. ` +
        'Nothing in the project changes until you sign.',
    ],
  });

/**
 * A revision replaces the order the client was sent: the new link, and why the old one no longer works. Only a
 * revision whose starting figures moved says another order's signature was the reason.
 */
export const revisedSignLinkEmail: OrderEmail<{ url: string; replaced: IssuedFigures }> = (
  identity,
  project,
  order,
  { url, replaced },
) => {
  const replacedNumber = orderNumber({ number: order.number, revision: order.revision - 1 });
  const why = revisionRestatesFigures(order, replaced, order.issue!)
    ? `It replaces ${replacedNumber}, whose totals or dates were out of date after another change order was signed.`
    : `It replaces ${replacedNumber}.`;
  return email(identity, project, order, {
    to: order.signer,
    replyTo: project.manager,
    subject: `Revised change order ${orderNumber(order)} for ${project.name}: please sign this one`,
    paragraphs: [
      `${identity.mspName} sends you a revised change order, ${orderNumber(order)}, for the project ` +
        `${projectLabel(project)}. ${why}`,
      `The link sent for ${replacedNumber} no longer works; review and sign the revised order instead.`,
    ],
    action: { label: 'Review and sign', url },
    closing: [
      `The link is meant for you alone and expires at ${expiryIn(project, order.issue!.expiresAt)}. ` +
        'Nothing in the project changes until you sign.',
    ],
  });
};

export const reminderEmail: OrderEmail<string> = (identity, project, order, url) => {
  const expiresAt = expiryIn(project, order.issue!.expiresAt);
  return email(identity, project, order, {
    to: order.signer,
    replyTo: project.manager,
    subject: `Reminder: change order ${orderNumber(order)} for ${project.name} expires at ${expiresAt}`,
    paragraphs: [
      `Change order ${orderNumber(order)} for the project ${projectLabel(project)} is still waiting for your ` +
        `signature. It expires at ${expiresAt}; after that ${identity.mspName} has to issue a new one.`,
    ],
    action: { label: 'Review and sign', url },
  });
};

/** The one-time code a signer asked for on the signing page. */
export const signingCodeEmail: OrderEmail<{ code: string; expiresAt: string }> = (identity, project, order, sent) =>
  email(identity, project, order, {
    to: order.signer,
    subject: `Your code to sign change order ${orderNumber(order)}: ${sent.code}`,
    paragraphs: [
      `Your one-time code to sign change order ${orderNumber(order)} for the project ${projectLabel(project)} ` +
        `is ${sent.code}. Enter it on the signing page; it works until ${timeIn(project, sent.expiresAt)}.`,
      'If you did not ask for a code, do not share it, and tell the sender of the change order.',
    ],
  });

/** The client opened the link of this issue for the first time: the manager knows the order is being read. */
export const viewedManagerEmail: OrderEmail<Person> = (identity, project, order, manager) =>
  email(identity, project, order, {
    to: manager,
    subject: `${orderNumber(order)} for ${project.name} was opened by ${order.signer.name}`,
    paragraphs: [
      `${order.signer.name} opened change order ${orderNumber(order)} for the project ${projectLabel(project)} ` +
        `at ${timeIn(project, order.firstViewedAt ?? '')}, the first time since it was ` +
        `${order.revision ? 'revised' : 'issued'}.`,
      `It awaits signature until ${expiryIn(project, order.issue!.expiresAt)}.`,
    ],
    action: staffAction(identity, project, order),
  });

export const signedManagerEmail: OrderEmail<Person> = (identity, project, order, manager) =>
  email(identity, project, order, {
    to: manager,
    subject: `${orderNumber(order)} for ${project.name} was signed`,
    paragraphs: [
      `${order.signature!.signer.name} signed change order ${orderNumber(order)} for the project ` +
        `${projectLabel(project)} at ${timeIn(project, order.signature!.signedAt)}. ` +
        'The approved work is now on the project board.',
    ],
    action: staffAction(identity, project, order),
  });

/** The client's finance contact gets the signed, sealed document for their records, as the signer does. */
export const signedFinanceEmail: OrderEmail<{ financeContact: Person; documentUrl: string }> = (
  identity,
  project,
  order,
  { financeContact, documentUrl },
) =>
  email(identity, project, order, {
    to: financeContact,
    replyTo: project.manager,
    subject: `Signed change order ${orderNumber(order)} for ${project.name}`,
    paragraphs: [
      `${order.signature!.signer.name} signed change order ${orderNumber(order)} for the project ` +
        `${projectLabel(project)} at ${timeIn(project, order.signature!.signedAt)}. ` +
        `You receive a copy as the finance contact of ${project.client.name}.`,
    ],
    action: { label: 'Download the signed document', url: documentUrl },
    closing: [
      'The document carries a certificate of completion and a seal that shows whether it was altered. ' +
        'Keep it for your records.',
    ],
  });

export const signedConfirmationEmail: OrderEmail<string> = (identity, project, order, documentUrl) =>
  email(identity, project, order, {
    to: order.signature!.signer,
    replyTo: project.manager,
    subject: `You signed change order ${orderNumber(order)} for ${project.name}`,
    paragraphs: [
      `Thank you. You signed change order ${orderNumber(order)} for the project ${projectLabel(project)} ` +
        `at ${timeIn(project, order.signature!.signedAt)}.`,
    ],
    action: { label: 'Download the signed document', url: documentUrl },
    closing: [
      'The document carries a certificate of completion and a seal that shows whether it was altered. ' +
        'Keep it for your records.',
    ],
  });

export const declinedManagerEmail: OrderEmail<Person> = (identity, project, order, manager) =>
  email(identity, project, order, {
    to: manager,
    subject: `${orderNumber(order)} for ${project.name} was declined`,
    paragraphs: [
      `${order.signer.name} declined change order ${orderNumber(order)} for the project ${projectLabel(project)} ` +
        `at ${timeIn(project, order.closedAt ?? '')}.`,
      `Reason given: ${order.closedReason ?? '(none)'}`,
      'Its change requests are free again for a new change order.',
    ],
    action: staffAction(identity, project, order),
  });

/** The signer withdrew consent to sign electronically: they want paper, and their link can no longer sign. */
export const consentWithdrawnManagerEmail: OrderEmail<Person> = (identity, project, order, manager) =>
  email(identity, project, order, {
    to: manager,
    subject: `${orderNumber(order)} for ${project.name}: ${order.signer.name} asked for a paper copy`,
    paragraphs: [
      `${order.signer.name} withdrew consent to sign change order ${orderNumber(order)} for the project ` +
        `${projectLabel(project)} electronically at ${timeIn(project, order.ceremony?.withdrawnAt ?? '')}, ` +
        'and asked for a paper copy to sign.',
      'The link they hold no longer signs, and the order still awaits signature. Send them a paper copy to ' +
        'sign, or void the order; if they agree to sign online after all, revise it to send them a new link.',
    ],
    action: staffAction(identity, project, order),
  });

/** Nobody signed or declined in time: the manager decides what becomes of the requests it carried. */
export const expiredManagerEmail: OrderEmail<Person> = (identity, project, order, manager) =>
  email(identity, project, order, {
    to: manager,
    subject: `${orderNumber(order)} for ${project.name} expired unsigned`,
    paragraphs: [
      `Change order ${orderNumber(order)} for the project ${projectLabel(project)} expired unsigned on ` +
        `${timeIn(project, order.closedAt ?? '')}: ${order.signer.name} neither signed nor declined it.`,
      'Its link no longer works. Its change requests are free again: put them on a new change order ' +
        'to send the client, or decline them.',
    ],
    action: staffAction(identity, project, order),
  });

/** The MSP withdrew an order the client was sent: the link they hold no longer works, and why. */
export const voidedSignerEmail: OrderEmail<void> = (identity, project, order) =>
  email(identity, project, order, {
    to: order.signer,
    replyTo: project.manager,
    subject: `Change order ${orderNumber(order)} for ${project.name} was withdrawn`,
    paragraphs: [
      `Change order ${orderNumber(order)} for the project ${projectLabel(project)} was withdrawn by ` +
        `${identity.mspName} at ${timeIn(project, order.closedAt ?? '')}.`,
      `Reason given: ${order.closedReason ?? '(none)'}`,
      'The signing link sent for it no longer works, and nothing in the project changes. ' +
        'You do not need to do anything.',
    ],
  });

interface EmailParts {
  to: Person;
  replyTo?: Person;
  subject: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  closing?: string[];
}

/** One layout for every email, greeting its recipient: the same words as plain text and as escaped HTML. */
const email: OrderEmail<EmailParts> = (identity, project, order, parts) => {
  const { to, subject, paragraphs, action, closing = [] } = parts;
  const amount = amountOf(project, order);
  const lines = [
    ...order.lines.map((line) => ({
      label: lineLabel(line.op, line.ref, line.item.title),
      amount: line.noCharge ? 'no charge' : formatMoney(line.amount, project.currency),
    })),
    // Products at their price to the client; a monthly one says so, apart from the one-off amount above.
    ...(order.products ?? []).map((line) => ({
      label: `${lineLabel(line.op, line.sku, line.product.name)} (quantity ${line.quantity})`,
      amount: line.noCharge
        ? 'no charge'
        : line.product.billing === 'monthly'
          ? `${formatMoney(line.monthly, project.currency)} per month`
          : formatMoney(line.amount, project.currency),
    })),
  ];

  const text = [
    `Dear ${to.name},`,
    ...paragraphs,
    [`Amount: ${amount}`, ...lines.map((l) => `  - ${l.label}: ${l.amount}`)].join('\n'),
    ...(action ? [`${action.label}:\n${action.url}`] : []),
    ...closing,
    signatureOf(identity).join('\n'),
  ].join('\n\n');

  const body = html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5; max-width: 640px;">
<p>Dear ${to.name},</p>
${paragraphs.map((p) => html`<p>${p}</p>\n`)}
<table style="border-collapse: collapse; margin: 16px 0;">
<tr><th style="${CELL}">Amount</th><th style="${AMOUNT_CELL}">${amount}</th></tr>
${lines.map((l) => html`<tr><td style="${CELL}">${l.label}</td><td style="${AMOUNT_CELL}">${l.amount}</td></tr>\n`)}
</table>
${action ? actionButton(action, identity.brandColour) : ''}
${closing.map((p) => html`<p>${p}</p>\n`)}
<p style="${SIGNATURE}border-color: ${identity.brandColour ?? '#cbd2d9'};">${signatureOf(identity).map(
    (line, i) => html`${i > 0 ? html`<br>` : ''}${line}`,
  )}</p>
</body>
</html>
`;
  // A subject is one header line, whatever the names in it contain.
  const oneLineSubject = subject.replace(/\s+/g, ' ').trim();
  return { to, replyTo: parts.replyTo, subject: oneLineSubject, text: text + '\n', html: body.value };
};

/**
 * The order's amount; with monthly products, the one-off amount and the monthly change said apart ("USD 1,387.93
 * once, plus USD 66.00 per month from signing"), so nobody adds the two.
 */
function amountOf(project: ProjectHeader, order: ChangeOrderState): string {
  const once = formatMoney(order.amount, project.currency);
  const monthly = order.monthly ?? 0;
  if (monthly === 0) return once;
  const perMonth = formatMoney(monthly > 0 ? monthly : -monthly, project.currency);
  return monthly > 0
    ? `${once} once, plus ${perMonth} per month from signing`
    : `${once} once, and ${perMonth} less per month from signing`;
}

const CELL = 'text-align: left; padding: 4px 12px 4px 0;';
const AMOUNT_CELL = 'text-align: right; padding: 4px 0;';
const BUTTON = 'display: inline-block; padding: 10px 18px; color: #ffffff; text-decoration: none; border-radius: 4px;';
const SIGNATURE = 'color: #616e7c; border-top: 2px solid; padding-top: 8px; ';

function signatureOf(identity: MailIdentity): readonly string[] {
  return identity.signature && identity.signature.length > 0 ? identity.signature : [identity.mspName];
}

/** The brand colour is checked (#rrggbb) where it is set; anything else here falls back to the standard blue. */
function actionButton(action: { label: string; url: string }, colour = DEFAULT_BUTTON_COLOUR): Html {
  const background = /^#[0-9a-f]{6}$/i.test(colour) ? colour : DEFAULT_BUTTON_COLOUR;
  return html`<p><a href="${action.url}" style="${BUTTON} background: ${background};">${action.label}</a></p>
<p style="font-size: 13px; color: #616e7c;">Or copy this address into your browser: ${action.url}</p>
`;
}

function staffAction(identity: MailIdentity, project: ProjectHeader, order: ChangeOrderState) {
  return { label: 'Open the order', url: staffOrderUrl(identity, project, order) };
}

const OP_LABELS: Record<OrderLine['op'], string> = { add: 'Add', modify: 'Change', remove: 'Remove' };

/**
 * "Add VPN-2 Site-to-site VPN": what the line does, its ref and its title; a title that already opens with the ref
 * ("VPN" titled "VPN tunnel") says it once: "Add VPN tunnel", not "Add VPN VPN tunnel".
 */
function lineLabel(op: OrderLine['op'], ref: string, title: string): string {
  const named =
    title.slice(0, ref.length).toLowerCase() === ref.toLowerCase() && !/^[\p{L}\p{N}]/u.test(title.slice(ref.length));
  return named ? `${OP_LABELS[op]} ${title}` : `${OP_LABELS[op]} ${ref} ${title}`;
}

/** A moment as the project's readers count time: in its time zone, named; in UTC for a project without one. */
function timeIn(project: ProjectHeader, iso: string): string {
  return project.timeZone ? formatInTimeZone(iso, project.timeZone) : formatUtcTimestamp(iso);
}

/**
 * When an order's link expires. Expiry falls at a midnight in the project's zone, which readers take for the
 * start of that day: it is said as the end of the day before ("the end of 2026-12-20, Pacific/Auckland time").
 */
function expiryIn(project: ProjectHeader, iso: string): string {
  const zone = project.timeZone;
  if (!zone || !isTimeZone(zone) || Number.isNaN(Date.parse(iso))) return timeIn(project, iso);
  const [date, time] = dateTimeIn(iso, zone).split(' ');
  return time === '00:00:00' ? `the end of ${addCalendarDays(date, -1)}, ${zone} time` : timeIn(project, iso);
}

function projectLabel(project: ProjectHeader): string {
  return `${project.name} (${project.client.name})`;
}
