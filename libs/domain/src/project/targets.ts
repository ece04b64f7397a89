import { ProjectCommand } from './commands';
import { ProjectEvent } from './events';
import { orderNumber, requestNumber } from './rules';
import { ProjectState } from './state';

/** The one request, order or card a command or event is about: two people acting on one target at once conflict. */
export type Target = `change-request:${string}` | `change-order:${string}` | `card:${string}`;

const changeRequest = (id: string): Target => `change-request:${id}`;
const changeOrder = (id: string): Target => `change-order:${id}`;
const card = (id: string): Target => `card:${id}`;

/** What a command acts on. Logging, opening and project-wide settings act on no single target. */
export function commandTargets(command: ProjectCommand): Target[] {
  switch (command.type) {
    case 'AssessChangeRequest':
    case 'DeclineChangeRequest':
    case 'AmendChangeRequest':
      return [changeRequest(command.changeRequestId)];
    case 'DraftChangeOrder':
      return command.changeRequestIds.map(changeRequest);
    case 'IssueChangeOrder':
    case 'RecordSignerConsent':
    case 'WithdrawSignerConsent':
    case 'SendSigningCode':
    case 'VerifySigningCode':
    case 'ReviseChangeOrder':
    case 'SignChangeOrder':
    case 'DeclineChangeOrder':
    case 'VoidChangeOrder':
    case 'ExpireChangeOrder':
    case 'RecordInvoice':
    case 'VoidInvoice':
      return [changeOrder(command.changeOrderId)];
    case 'MoveCard':
    case 'AssignBoardCard':
    case 'LogTime':
      return [card(command.cardId)];
    // A view changes nothing anyone decides on; the others are not about one existing thing.
    case 'RecordChangeOrderView':
    case 'RecordDocumentDownload':
    case 'OpenProject':
    case 'EstablishBaseline':
    case 'LogChangeRequest':
    case 'AddBoardCard':
    case 'SetWipLimits':
    case 'UpdateProjectSettings':
    case 'CloseProject':
    case 'ReopenProject':
    case 'ArchiveProject':
    case 'RecordBaselineInvoice':
    case 'VoidBaselineInvoice':
    case 'LogClientDependency':
    case 'ResolveClientDependency':
    case 'RequestDelayChange':
      return [];
    default: {
      const unknown: never = command;
      throw new Error(`Unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** What an event changed. A recorded view changed nothing. */
export function eventTargets(event: ProjectEvent): Target[] {
  switch (event.type) {
    case 'ChangeRequestLogged':
    case 'ChangeRequestAssessed':
    case 'ChangeRequestDeclined':
    case 'ChangeRequestAmended':
      return [changeRequest(event.data.changeRequestId)];
    case 'ChangeOrderDrafted':
      return [changeOrder(event.data.changeOrderId), ...event.data.changeRequestIds.map(changeRequest)];
    case 'ChangeOrderIssued':
    case 'SignerConsented':
    case 'SignerConsentWithdrawn':
    case 'SigningCodeSent':
    case 'SigningCodeRejected':
    case 'SigningCodeVerified':
    case 'ChangeOrderRevised':
    case 'ChangeOrderSigned':
    case 'ChangeOrderDeclined':
    case 'ChangeOrderVoided':
    case 'ChangeOrderExpired':
    case 'InvoiceRecorded':
    case 'InvoiceVoided':
      return [changeOrder(event.data.changeOrderId)];
    case 'BoardCardAdded':
    case 'BoardCardEstimateRevised':
    case 'BoardCardCancelled':
    case 'BoardCardMoved':
    case 'BoardCardAssigned':
    case 'TimeLogged':
      return [card(event.data.cardId)];
    case 'ChangeOrderViewed':
    case 'ChangeOrderDocumentDownloaded':
    case 'ProjectOpened':
    case 'BaselineEstablished':
    case 'WipLimitsSet':
    case 'ProjectRenamed':
    case 'ProjectManagerChanged':
    case 'ClientContactsChanged':
    case 'ProjectHolidaysChanged':
    case 'ProjectRatesChanged':
    case 'DefaultExpiryChanged':
    case 'ProjectTimeZoneChanged':
    case 'ProjectClosed':
    case 'ProjectReopened':
    case 'ProjectArchived':
    case 'BaselineInvoiceRecorded':
    case 'BaselineInvoiceVoided':
    case 'ClientDependencyLogged':
    case 'ClientDependencyResolved':
      return [];
    default: {
      const unknown: never = event;
      throw new Error(`Unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

/** The target as people name it: CR-3, CO-1, C-12. */
export function describeTarget(state: ProjectState, target: Target): string {
  const [kind, id] = target.split(/:(.*)/s) as [string, string];
  if (kind === 'change-request') {
    const request = state.changeRequests.get(id);
    return request ? requestNumber(request) : 'The change request';
  }
  if (kind === 'change-order') {
    const order = state.changeOrders.get(id);
    return order ? orderNumber(order) : 'The change order';
  }
  return state.cards.has(id) ? `Card ${id}` : 'The card';
}
