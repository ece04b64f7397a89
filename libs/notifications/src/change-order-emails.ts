import { formatUtcTimestamp } from '@scope-ledger/documents';
import { ChangeOrderState, formatMoney, orderNumber, OrderLine, Person, ProjectHeader } from '@scope-ledger/domain';
import { Html, html } from './html';

/** Who the emails speak for and where their links point. */
export interface MailIdentity {
  readonly mspName: string;
  /** Base URL of the server as clients reach it, without a trailing slash. */
  readonly publicUrl: string;
}

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

export function signLinkEmail(
  identity: MailIdentity,
  project: ProjectHeader,
  order: ChangeOrderState,
  url: string,
): EmailContent {
  const expiresAt = formatUtcTimestamp(order.issue!.expiresAt);
  return email(identity, {
    to: order.signer,
    replyTo: project.manager,
    subject: `Please sign change order ${orderNumber(order)} for ${project.name}`,
    greeting: order.signer.name,
    paragraphs: [
      `${identity.mspName} asks you to review and sign change order ${orderNumber(order)} ` +
        `for the project ${projectLabel(project)}.`,
    ],
    order: { project, order },
    action: { label: 'Review and sign', url },
    closing: [
      `The link is meant for you alone and expires at ${expiresAt}. Nothing in the project changes until you sign.`,
    ],
  });
}

export function reminderEmail(
  identity: MailIdentity,
  project: ProjectHeader,
  order: ChangeOrderState,
  url: string,
): EmailContent {
  const expiresAt = formatUtcTimestamp(order.issue!.expiresAt);
  return email(identity, {
    to: order.signer,
    replyTo: project.manager,
    subject: `Reminder: change order ${orderNumber(order)} for ${project.name} expires ${expiresAt}`,
    greeting: order.signer.name,
    paragraphs: [
      `Change order ${orderNumber(order)} for the project ${projectLabel(project)} ` +
        `is still waiting for your signature. ` +
        `It expires at ${expiresAt}; after that ${identity.mspName} has to issue a new one.`,
    ],
    order: { project, order },
    action: { label: 'Review and sign', url },
    closing: [],
  });
}

export function signedManagerEmail(
  identity: MailIdentity,
  project: ProjectHeader,
  order: ChangeOrderState,
  manager: Person,
): EmailContent {
  const signature = order.signature!;
  return email(identity, {
    to: manager,
    subject: `${orderNumber(order)} for ${project.name} was signed`,
    greeting: manager.name,
    paragraphs: [
      `${signature.signer.name} signed change order ${orderNumber(order)} for the project ${projectLabel(project)} ` +
        `at ${formatUtcTimestamp(signature.signedAt)}. The approved work is now on the project board.`,
    ],
    order: { project, order },
    closing: [],
  });
}

export function signedConfirmationEmail(
  identity: MailIdentity,
  project: ProjectHeader,
  order: ChangeOrderState,
  documentUrl: string,
): EmailContent {
  const signature = order.signature!;
  return email(identity, {
    to: signature.signer,
    replyTo: project.manager,
    subject: `You signed change order ${orderNumber(order)} for ${project.name}`,
    greeting: signature.signer.name,
    paragraphs: [
      `Thank you. You signed change order ${orderNumber(order)} for the project ${projectLabel(project)} ` +
        `at ${formatUtcTimestamp(signature.signedAt)}.`,
    ],
    order: { project, order },
    action: { label: 'Download the signed document', url: documentUrl },
    closing: [
      'The document carries a certificate of completion and a seal that shows whether it was altered. ' +
        'Keep it for your records.',
    ],
  });
}

export function declinedManagerEmail(
  identity: MailIdentity,
  project: ProjectHeader,
  order: ChangeOrderState,
  manager: Person,
): EmailContent {
  return email(identity, {
    to: manager,
    subject: `${orderNumber(order)} for ${project.name} was declined`,
    greeting: manager.name,
    paragraphs: [
      `${order.signer.name} declined change order ${orderNumber(order)} for the project ${projectLabel(project)} ` +
        `at ${formatUtcTimestamp(order.closedAt ?? '')}.`,
      `Reason given: ${order.closedReason ?? '(none)'}`,
      'Its change requests are free again for a new change order.',
    ],
    order: { project, order },
    closing: [],
  });
}

interface EmailParts {
  to: Person;
  replyTo?: Person;
  subject: string;
  greeting: string;
  paragraphs: string[];
  order: { project: ProjectHeader; order: ChangeOrderState };
  action?: { label: string; url: string };
  closing: string[];
}

/** One layout for every email: the same words as plain text and as escaped HTML. */
function email(identity: MailIdentity, parts: EmailParts): EmailContent {
  const { project, order } = parts.order;
  const amount = formatMoney(order.amount, project.currency);
  const lines = order.lines.map((line) => ({ label: lineLabel(line), amount: lineAmount(line, project.currency) }));

  const text = [
    `Dear ${parts.greeting},`,
    ...parts.paragraphs,
    [`Amount: ${amount}`, ...lines.map((l) => `  - ${l.label}: ${l.amount}`)].join('\n'),
    ...(parts.action ? [`${parts.action.label}:\n${parts.action.url}`] : []),
    ...parts.closing,
    identity.mspName,
  ].join('\n\n');

  const body = html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${parts.subject}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5; max-width: 640px;">
<p>Dear ${parts.greeting},</p>
${parts.paragraphs.map((p) => html`<p>${p}</p>\n`)}
<table style="border-collapse: collapse; margin: 16px 0;">
<tr><th style="${CELL}">Amount</th><th style="${AMOUNT_CELL}">${amount}</th></tr>
${lines.map((l) => html`<tr><td style="${CELL}">${l.label}</td><td style="${AMOUNT_CELL}">${l.amount}</td></tr>\n`)}
</table>
${parts.action ? actionButton(parts.action) : ''}
${parts.closing.map((p) => html`<p>${p}</p>\n`)}
<p style="color: #616e7c;">${identity.mspName}</p>
</body>
</html>
`;
  return { to: parts.to, replyTo: parts.replyTo, subject: oneLine(parts.subject), text: text + '\n', html: body.value };
}

const CELL = 'text-align: left; padding: 4px 12px 4px 0;';
const AMOUNT_CELL = 'text-align: right; padding: 4px 0;';
const BUTTON =
  'display: inline-block; padding: 10px 18px; background: #1d4ed8; color: #ffffff; ' +
  'text-decoration: none; border-radius: 4px;';

function actionButton(action: { label: string; url: string }): Html {
  return html`<p><a href="${action.url}" style="${BUTTON}">${action.label}</a></p>
<p style="font-size: 13px; color: #616e7c;">Or copy this address into your browser: ${action.url}</p>
`;
}

const OP_LABELS: Record<OrderLine['op'], string> = { add: 'Add', modify: 'Change', remove: 'Remove' };

function lineLabel(line: OrderLine): string {
  return `${OP_LABELS[line.op]} ${line.ref} ${line.item.title}`;
}

function lineAmount(line: OrderLine, currency: string): string {
  return line.noCharge ? 'no charge' : formatMoney(line.amount, currency);
}

function projectLabel(project: ProjectHeader): string {
  return `${project.name} (${project.client.name})`;
}

/** A subject is one header line, whatever the names in it contain. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
