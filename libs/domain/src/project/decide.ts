import { notFound } from '../shared/domain-error';
import { addBoardCard, assignBoardCard, logTime, moveCard, setWipLimits } from './board';
import {
  declineChangeOrder,
  draftChangeOrder,
  expireChangeOrder,
  issueChangeOrder,
  recordChangeOrderView,
  reviseChangeOrder,
  signChangeOrder,
  voidChangeOrder,
} from './change-orders';
import { amendChangeRequest, assessChangeRequest, declineChangeRequest, logChangeRequest } from './change-requests';
import { logClientDependency, requestDelayChange, resolveClientDependency } from './client-dependencies';
import { ProjectCommand } from './commands';
import { ProjectEvent } from './events';
import { recordBaselineInvoice, recordInvoice, voidBaselineInvoice, voidInvoice } from './invoices';
import { establishBaseline, openProject } from './project-setup';
import {
  archiveProject,
  closedProjectRefusal,
  closeProject,
  reopenProject,
  updateProjectSettings,
} from './project-settings';
import {
  recordDocumentDownload,
  recordSignerConsent,
  sendSigningCode,
  verifySigningCode,
  withdrawSignerConsent,
} from './signing-ceremony';
import { ProjectState } from './state';

/** decide: the events a command produces against the current state, or a DomainError. */
export function decide(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  if (command.type !== 'OpenProject' && !state.exists) throw notFound('Project not found');
  switch (command.type) {
    case 'OpenProject':
      return openProject(command, state);
    case 'EstablishBaseline':
      return establishBaseline(command, state);
    case 'LogChangeRequest':
      refuseIfClosed(state, 'log change requests');
      return logChangeRequest(command, state);
    case 'AssessChangeRequest':
      return assessChangeRequest(command, state);
    case 'DeclineChangeRequest':
      return declineChangeRequest(command, state);
    case 'AmendChangeRequest':
      return amendChangeRequest(command, state);
    case 'DraftChangeOrder':
      refuseIfClosed(state, 'draft change orders');
      return draftChangeOrder(command, state);
    case 'IssueChangeOrder':
      return issueChangeOrder(command, state);
    case 'ReviseChangeOrder':
      return reviseChangeOrder(command, state);
    case 'RecordChangeOrderView':
      return recordChangeOrderView(command, state);
    case 'RecordDocumentDownload':
      return recordDocumentDownload(command, state);
    case 'RecordSignerConsent':
      return recordSignerConsent(command, state);
    case 'WithdrawSignerConsent':
      return withdrawSignerConsent(command, state);
    case 'SendSigningCode':
      return sendSigningCode(command, state);
    case 'VerifySigningCode':
      return verifySigningCode(command, state);
    case 'SignChangeOrder':
      return signChangeOrder(command, state);
    case 'DeclineChangeOrder':
      return declineChangeOrder(command, state);
    case 'VoidChangeOrder':
      return voidChangeOrder(command, state);
    case 'ExpireChangeOrder':
      return expireChangeOrder(command, state);
    case 'AddBoardCard':
      return addBoardCard(command, state);
    case 'MoveCard':
      return moveCard(command, state);
    case 'AssignBoardCard':
      return assignBoardCard(command, state);
    case 'SetWipLimits':
      return setWipLimits(command);
    case 'LogTime':
      return logTime(command, state);
    case 'RecordInvoice':
      return recordInvoice(command, state);
    case 'VoidInvoice':
      return voidInvoice(command, state);
    case 'RecordBaselineInvoice':
      return recordBaselineInvoice(command, state);
    case 'VoidBaselineInvoice':
      return voidBaselineInvoice(command, state);
    case 'UpdateProjectSettings':
      return updateProjectSettings(command, state);
    case 'CloseProject':
      return closeProject(command, state);
    case 'ReopenProject':
      return reopenProject(command, state);
    case 'ArchiveProject':
      return archiveProject(command, state);
    case 'LogClientDependency':
      refuseIfClosed(state, 'log client dependencies');
      return logClientDependency(command, state);
    case 'ResolveClientDependency':
      return resolveClientDependency(command, state);
    case 'RequestDelayChange':
      refuseIfClosed(state, 'log change requests');
      return requestDelayChange(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`Unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

function refuseIfClosed(state: ProjectState, toDo: string): void {
  const refusal = closedProjectRefusal(state, toDo);
  if (refusal) throw refusal;
}
