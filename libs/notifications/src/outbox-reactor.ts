import { ChangeOrderState, Person, ProjectEvent, ProjectHeader } from '@scope-ledger/domain';
import { SqlQueryable } from '@scope-ledger/event-store';
import { signingToken } from '@scope-ledger/platform';
import { AppliedEvent, HandlerBatch, ProjectEventHandler } from '@scope-ledger/projections';
import {
  consentWithdrawnManagerEmail,
  currentMailIdentity,
  declinedManagerEmail,
  EmailContent,
  expiredManagerEmail,
  MailIdentity,
  MailIdentitySource,
  revisedSignLinkEmail,
  signedConfirmationEmail,
  signedDocumentUrl,
  signedFinanceEmail,
  signedManagerEmail,
  signingUrl,
  signLinkEmail,
  viewedManagerEmail,
  voidedSignerEmail,
} from './change-order-emails';
import { enqueueMessages, MessageKind, NewOutboxMessage } from './outbox';

export interface OutboxReactorOptions {
  readonly signingSecret: Buffer;
  /** Read once per batch: the company settings in force when the events are handled. */
  readonly identity: MailIdentitySource;
  /** Called after a commit that queued new messages (the sender wakes up). */
  readonly onMessagesQueued?: () => void;
}

/**
 * Turns change-order events into outbox messages, in the event processor's transaction. Each
 * message's key comes from its event, so an event handled twice never queues a message twice.
 */
export class OutboxReactor implements ProjectEventHandler {
  constructor(private readonly options: OutboxReactorOptions) {}

  async begin(): Promise<HandlerBatch> {
    const messages: NewOutboxMessage[] = [];
    let queued = 0;
    const identity = currentMailIdentity(this.options.identity);
    return {
      handle: (applied) => messages.push(...this.messagesFor(applied, identity)),
      write: async (tx: SqlQueryable) => {
        queued = await enqueueMessages(tx, messages);
      },
      afterCommit: () => {
        if (queued > 0) this.options.onMessagesQueued?.();
      },
    };
  }

  /** What one event sends, from the project's header and the order right after the event. */
  private messagesFor(
    { recorded, event, projectId, changes }: AppliedEvent,
    identity: MailIdentity,
  ): NewOutboxMessage[] {
    if (!isOrderEvent(event)) return [];
    const { changeOrderId } = event.data;
    let project: ProjectHeader | undefined;
    let order: ChangeOrderState | undefined;
    let before: ChangeOrderState | undefined;
    for (const change of changes) {
      if (change.kind === 'project') project = change.header;
      if (change.kind === 'changeOrder' && change.record.id === changeOrderId) {
        order = change.record;
        before = change.before;
      }
    }
    if (!project || !order) throw new Error(`${event.type} did not change its order ${changeOrderId}`);
    const { manager } = project;
    const messages: NewOutboxMessage[] = [];
    const send = (suffix: string, kind: MessageKind, content: EmailContent) =>
      messages.push({ dedupeKey: `${recorded.id}:${suffix}`, kind, projectId, changeOrderId, ...content });
    switch (event.type) {
      case 'ChangeOrderIssued': {
        const url = signingUrl(identity, this.tokenOf(order));
        send('sign-link', 'sign_link', signLinkEmail(identity, project, order, url));
        break;
      }
      case 'ChangeOrderRevised': {
        const url = signingUrl(identity, this.tokenOf(order));
        const replaced = before?.issue;
        if (!replaced) throw new Error(`Change order ${order.id} was revised without an earlier issue`);
        send('revised-sign-link', 'sign_link', revisedSignLinkEmail(identity, project, order, { url, replaced }));
        break;
      }
      case 'ChangeOrderViewed':
        // An issue or revision starts without views, so only the first view of each copy sent tells the manager.
        if (manager && before?.firstViewedAt === undefined)
          send('first-view:manager', 'viewed_to_manager', viewedManagerEmail(identity, project, order, manager));
        break;
      case 'SignerConsentWithdrawn':
        if (manager) {
          const withdrawn = consentWithdrawnManagerEmail(identity, project, order, manager);
          send('consent-withdrawn:manager', 'consent_withdrawn_to_manager', withdrawn);
        }
        break;
      case 'ChangeOrderSigned': {
        const documentUrl = signedDocumentUrl(identity, this.tokenOf(order));
        send('signed:signer', 'signed_confirmation', signedConfirmationEmail(identity, project, order, documentUrl));
        if (manager) send('signed:manager', 'signed_to_manager', signedManagerEmail(identity, project, order, manager));
        const financeContact = financeCopyRecipient(project, order);
        if (financeContact) {
          const copy = signedFinanceEmail(identity, project, order, { financeContact, documentUrl });
          send('signed:finance', 'signed_to_finance', copy);
        }
        break;
      }
      case 'ChangeOrderDeclined':
        if (manager)
          send('declined:manager', 'declined_to_manager', declinedManagerEmail(identity, project, order, manager));
        break;
      case 'ChangeOrderExpired':
        if (manager)
          send('expired:manager', 'expired_to_manager', expiredManagerEmail(identity, project, order, manager));
        break;
      case 'ChangeOrderVoided':
        // A voided draft was never sent: the client only hears about orders whose link they hold.
        if (order.issue) send('voided:signer', 'voided_to_signer', voidedSignerEmail(identity, project, order));
        break;
    }
    return messages;
  }

  private tokenOf(order: ChangeOrderState): string {
    const nonce = order.issue?.signingTokenNonce;
    if (!nonce)
      throw new Error(`Change order ${order.id} was issued without a signing-token nonce; its link cannot be derived`);
    return signingToken(this.options.signingSecret, order.id, nonce);
  }
}

const ORDER_EVENTS = [
  'ChangeOrderIssued',
  'ChangeOrderRevised',
  'ChangeOrderViewed',
  'SignerConsentWithdrawn',
  'ChangeOrderSigned',
  'ChangeOrderDeclined',
  'ChangeOrderExpired',
  'ChangeOrderVoided',
] as const;
type OrderEvent = Extract<ProjectEvent, { type: (typeof ORDER_EVENTS)[number] }>;

function isOrderEvent(event: ProjectEvent): event is OrderEvent {
  return (ORDER_EVENTS as readonly string[]).includes(event.type);
}

/** The client's finance contact, unless the project names none or it is the signer, who has their own copy. */
function financeCopyRecipient(project: ProjectHeader, order: ChangeOrderState): Person | undefined {
  const { financeContact } = project;
  if (!financeContact?.email) return undefined;
  const signer = order.signature!.signer.email;
  return financeContact.email.toLowerCase() === signer.toLowerCase() ? undefined : financeContact;
}
