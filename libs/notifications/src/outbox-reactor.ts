import { ChangeOrderState, ProjectHeader } from '@scope-ledger/domain';
import { SqlQueryable } from '@scope-ledger/event-store';
import { signingToken } from '@scope-ledger/platform';
import { AppliedEvent, HandlerBatch, ProjectEventHandler } from '@scope-ledger/projections';
import {
  declinedManagerEmail,
  EmailContent,
  MailIdentity,
  revisedSignLinkEmail,
  signedConfirmationEmail,
  signedDocumentUrl,
  signedManagerEmail,
  signingUrl,
  signLinkEmail,
} from './change-order-emails';
import { enqueueMessages, MessageKind, NewOutboxMessage } from './outbox';

export interface OutboxReactorOptions {
  readonly signingSecret: Buffer;
  readonly identity: MailIdentity;
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
    return {
      handle: (applied) => messages.push(...this.messagesFor(applied)),
      write: async (tx: SqlQueryable) => {
        queued = await enqueueMessages(tx, messages);
      },
      afterCommit: () => {
        if (queued > 0) this.options.onMessagesQueued?.();
      },
    };
  }

  /** What one event sends, from the project's header and the order right after the event. */
  private messagesFor({ recorded, event, projectId, changes }: AppliedEvent): NewOutboxMessage[] {
    const { type, data } = event;
    if (
      type !== 'ChangeOrderIssued' &&
      type !== 'ChangeOrderRevised' &&
      type !== 'ChangeOrderSigned' &&
      type !== 'ChangeOrderDeclined'
    )
      return [];
    const changeOrderId = data.changeOrderId;
    let project: ProjectHeader | undefined;
    let order: ChangeOrderState | undefined;
    for (const change of changes) {
      if (change.kind === 'project') project = change.header;
      if (change.kind === 'changeOrder' && change.record.id === changeOrderId) order = change.record;
    }
    if (!project || !order) throw new Error(`${type} did not change its order ${changeOrderId}`);
    const { identity } = this.options;
    const { manager } = project;
    const messages: NewOutboxMessage[] = [];
    const send = (suffix: string, kind: MessageKind, content: EmailContent) =>
      messages.push({ dedupeKey: `${recorded.id}:${suffix}`, kind, projectId, changeOrderId, ...content });
    if (type === 'ChangeOrderIssued') {
      send(
        'sign-link',
        'sign_link',
        signLinkEmail(identity, project, order, signingUrl(identity, this.tokenOf(order))),
      );
    } else if (type === 'ChangeOrderRevised') {
      const url = signingUrl(identity, this.tokenOf(order));
      send('revised-sign-link', 'sign_link', revisedSignLinkEmail(identity, project, order, url));
    } else if (type === 'ChangeOrderSigned') {
      const documentUrl = signedDocumentUrl(identity, this.tokenOf(order));
      send('signed:signer', 'signed_confirmation', signedConfirmationEmail(identity, project, order, documentUrl));
      if (manager) send('signed:manager', 'signed_to_manager', signedManagerEmail(identity, project, order, manager));
    } else if (manager) {
      send('declined:manager', 'declined_to_manager', declinedManagerEmail(identity, project, order, manager));
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
