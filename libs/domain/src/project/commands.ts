import { IsoDate } from '../shared/calendar';
import { CatalogueProduct } from '../catalogue/state';
import { BoardColumn, ChangeSource, DeclineCategory, LineOp, Milestone, Person, SignerVerification } from './events';

/** Input as the API received it (hours as decimals, money in minor units) and `now`: no clock, no random ids. */
export type ProjectCommand =
  | {
      type: 'OpenProject';
      now: string;
      projectId: string;
      name: string;
      client: Person;
      manager?: Person;
      currency: string;
      rates: Record<string, number>;
      startDate: IsoDate;
      holidays: IsoDate[];
      timeZone?: string;
    }
  | {
      type: 'EstablishBaseline';
      now: string;
      items: BaselineItemInput[];
      milestones: Milestone[];
      /** Products the contract starts with (op add only); absent: none. */
      products?: ProductLineInput[];
    }
  | {
      type: 'LogChangeRequest';
      now: string;
      changeRequestId: string;
      title: string;
      description: string;
      source: ChangeSource;
      requestedBy: Person;
      receivedAt?: string;
      ticketRef?: string;
      /** The client dependency whose lost working days the request claims (see RequestDelayChange). */
      clientDependencyId?: string;
    }
  | {
      type: 'AssessChangeRequest';
      now: string;
      changeRequestId: string;
      lines: AssessmentLineInput[];
      /** Absent: no product lines. */
      products?: ProductLineInput[];
      schedule: { milestone: string; workingDays: number }[];
      notes?: string;
      noCharge: boolean;
    }
  | { type: 'DeclineChangeRequest'; now: string; changeRequestId: string; reason: string; category: DeclineCategory }
  | { type: 'AmendChangeRequest'; now: string; changeRequestId: string; title?: string; description?: string }
  | {
      type: 'DraftChangeOrder';
      now: string;
      changeOrderId: string;
      changeRequestIds: string[];
      signer: Person;
      /** Left out: the project's default expiry, else the company's (companyExpiryDays), else DEFAULT_EXPIRY_DAYS. */
      expiresInDays?: number;
      companyExpiryDays?: number;
      terms: string;
      signerVerification?: SignerVerification;
    }
  | {
      type: 'IssueChangeOrder';
      now: string;
      changeOrderId: string;
      documentSha256: string;
      signingTokenSha256: string;
      signingTokenNonce: string;
    }
  | {
      type: 'ReviseChangeOrder';
      now: string;
      changeOrderId: string;
      documentSha256: string;
      signingTokenSha256: string;
      signingTokenNonce: string;
    }
  | { type: 'RecordChangeOrderView'; now: string; changeOrderId: string }
  | SigningCeremonyCommand
  | {
      type: 'SignChangeOrder';
      now: string;
      changeOrderId: string;
      name: string;
      consent: boolean;
      documentSha256: string;
      signature: 'typed' | 'drawn';
      signedDocumentSha256: string;
      consentVersion: string;
      ip: string;
      userAgent: string;
      streamHeadHash?: string;
    }
  | { type: 'DeclineChangeOrder'; now: string; changeOrderId: string; reason: string; ip: string; userAgent: string }
  | { type: 'VoidChangeOrder'; now: string; changeOrderId: string; reason: string }
  | { type: 'ExpireChangeOrder'; now: string; changeOrderId: string }
  | { type: 'AddBoardCard'; now: string; ref: string }
  | { type: 'MoveCard'; now: string; cardId: string; to: BoardColumn }
  /** personId: checked against the team stream before deciding; null unassigns. */
  | { type: 'AssignBoardCard'; now: string; cardId: string; personId: string | null }
  | { type: 'SetWipLimits'; now: string; limits: Partial<Record<BoardColumn, number | null>> }
  | { type: 'LogTime'; now: string; cardId: string; hours: number; date: IsoDate; note?: string }
  | {
      type: 'RecordInvoice';
      now: string;
      changeOrderId: string;
      invoiceNumber: string;
      amount: number;
      invoiceDate?: IsoDate;
    }
  | { type: 'VoidInvoice'; now: string; changeOrderId: string; invoiceNumber: string; reason: string }
  | {
      type: 'RecordBaselineInvoice';
      now: string;
      invoiceNumber: string;
      amount: number;
      invoiceDate?: IsoDate;
      milestone?: string;
    }
  | { type: 'VoidBaselineInvoice'; now: string; invoiceNumber: string; reason: string }
  | ProjectSettingsCommand;

/** Settings that can change after opening, and the project's status. A field left out stays as it is. */
export type ProjectSettingsCommand =
  | {
      type: 'UpdateProjectSettings';
      now: string;
      name?: string;
      /** null clears it. */
      manager?: Person | null;
      client?: Person;
      financeContact?: Person | null;
      holidays?: IsoDate[];
      rates?: Record<string, number>;
      defaultExpiryDays?: number | null;
      timeZone?: string | null;
    }
  | { type: 'CloseProject'; now: string }
  | { type: 'ReopenProject'; now: string }
  | { type: 'ArchiveProject'; now: string }
  | {
      type: 'LogClientDependency';
      now: string;
      dependencyId: string;
      what: string;
      milestone?: string;
      /** Default: today in the project's zone. */
      since?: IsoDate;
      due: IsoDate;
    }
  | { type: 'ResolveClientDependency'; now: string; dependencyId: string; resolvedOn?: IsoDate }
  /** A schedule-only change request for the working days a late dependency cost, assessed and ready to order. */
  | {
      type: 'RequestDelayChange';
      now: string;
      dependencyId: string;
      changeRequestId: string;
      /** Default: the dependency's milestone. */
      milestone?: string;
    };

/** The signer's steps before signing: reading, consenting (or withdrawing), the one-time code. */
export type SigningCeremonyCommand =
  | {
      type: 'RecordDocumentDownload';
      now: string;
      changeOrderId: string;
      copy: 'issued' | 'sealed';
      ip: string;
      userAgent: string;
    }
  | {
      type: 'RecordSignerConsent';
      now: string;
      changeOrderId: string;
      disclosureVersion: string;
      disclosureSha256: string;
      ip: string;
      userAgent: string;
    }
  | { type: 'WithdrawSignerConsent'; now: string; changeOrderId: string; ip: string; userAgent: string }
  | { type: 'SendSigningCode'; now: string; changeOrderId: string; codeSalt: string; codeSha256: string }
  /** codeSha256: the code the signer typed, hashed with the salt of the last code sent. */
  | { type: 'VerifySigningCode'; now: string; changeOrderId: string; codeSha256: string; ip: string };

export type CommandOf<K extends ProjectCommand['type']> = Extract<ProjectCommand, { type: K }>;

export interface BaselineItemInput {
  ref: string;
  title: string;
  role: string;
  hours: number;
  fixedCost?: number;
  /** A milestone ref of this baseline; absent or null: none. */
  milestone?: string | null;
}

export interface AssessmentLineInput {
  op: LineOp;
  ref: string;
  title?: string;
  role?: string;
  hours?: number;
  fixedCost?: number;
  /** A milestone ref of the project; on modify, absent keeps the item's and null takes it away. */
  milestone?: string | null;
}

/**
 * A product change by SKU. `product` is the catalogue's entry as the caller looked it up (absent: unknown SKU);
 * an add is priced with it, a modify or remove with the unit price agreed when the product was added.
 */
export interface ProductLineInput {
  op: LineOp;
  sku: string;
  quantity?: number;
  product?: CatalogueProduct;
}

/** Minimum time between two recorded views of one order, so reloads do not flood the stream. */
export const VIEW_RECORD_INTERVAL_MS = 60 * 60 * 1000;

/** A one-time code lasts ten minutes and allows five wrong tries. */
export const SIGNING_CODE_LIFETIME_MS = 10 * 60 * 1000;
export const SIGNING_CODE_MAX_ATTEMPTS = 5;
/** A new code no sooner than a minute after the last, and no more than five per link. */
export const SIGNING_CODE_RESEND_MS = 60 * 1000;
export const SIGNING_CODE_MAX_SENDS = 5;
