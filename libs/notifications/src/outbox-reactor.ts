import { ChangeOrderState, ProjectHeader } from '@scope-ledger/domain';
import { SqlQueryable } from '@scope-ledger/event-store';
import { signingToken } from '@scope-ledger/platform';
import { AppliedEvent, HandlerBatch, ProjectEventHandler } from '@scope-ledger/projections';
import {
  declinedManagerEmail,
  EmailContent,
  MailIdentity,
  signedConfirmationEmail,
  signedDocumentUrl,
  signedManagerEmail,
  signingUrl,
  signLinkEmail,
} from './change-order-emails';
import { enqueueMessages, NewOutboxMessage } from './outbox';

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
    if (
      event.type !== 'ChangeOrderIssued' &&
      event.type !== 'ChangeOrderSigned' &&
      event.type !== 'ChangeOrderDeclined'
    )
      return [];
    const { identity } = this.options;
    const changeOrderId = event.data.changeOrderId;
    let project: ProjectHeader | undefined;
    let order: ChangeOrderState | undefined;
    for (const change of changes) {
      if (change.kind === 'project') project = change.header;
      if (change.kind === 'changeOrder' && change.record.id === changeOrderId) order = change.record;
    }
    if (!project || !order) throw new Error(`${event.type} did not change its order ${changeOrderId}`);
    const message = (suffix: string, kind: NewOutboxMessage['kind'], content: EmailContent): NewOutboxMessage => ({
      dedupeKey: `${recorded.id}:${suffix}`,
      kind,
      projectId,
      changeOrderId,
      ...content,
    });
    const { manager } = project;
    switch (event.type) {
      case 'ChangeOrderIssued': {
        const url = signingUrl(identity, this.tokenOf(order));
        return [message('sign-link', 'sign_link', signLinkEmail(identity, project, order, url))];
      }
      case 'ChangeOrderSigned': {
        const documentUrl = signedDocumentUrl(identity, this.tokenOf(order));
        return [
          message(
            'signed:signer',
            'signed_confirmation',
            signedConfirmationEmail(identity, project, order, documentUrl),
          ),
          ...(manager
            ? [message('signed:manager', 'signed_to_manager', signedManagerEmail(identity, project, order, manager))]
            : []),
        ];
      }
      case 'ChangeOrderDeclined':
        return manager
          ? [
              message(
                'declined:manager',
                'declined_to_manager',
                declinedManagerEmail(identity, project, order, manager),
              ),
            ]
          : [];
    }
  }

  private tokenOf(order: ChangeOrderState): string {
    const nonce = order.issue?.signingTokenNonce;
    if (!nonce)
      throw new Error(`Change order ${order.id} was issued without a signing-token nonce; its link cannot be derived`);
    return signingToken(this.options.signingSecret, order.id, nonce);
  }
}
