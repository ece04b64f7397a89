import { Inject, Injectable } from '@nestjs/common';
import {
  ChangeOrderDocumentModel,
  checkDrawnSignature,
  renderChangeOrderPdf,
  renderDraftPreviewPdf,
  pdfPageCount,
  renderSignedChangeOrderPdf,
  SealCertificate,
  sealPdf,
  SignatureRecord,
} from '@scope-ledger/documents';
import {
  calendarDateIn,
  ChangeOrderState,
  CommandOf,
  conflict,
  currentCeremony,
  decide,
  DomainError,
  issueFigures,
  notFound,
  orderNumber,
  ProjectState,
  requireOrder,
} from '@scope-ledger/domain';
import {
  CommandContext,
  CommandOutcome,
  isWellFormedToken,
  newTokenNonce,
  Platform,
  ProjectCommands,
  signingToken,
  tokenMatches,
  tokenSha256,
} from '@scope-ledger/platform';
import { listOutbox } from '@scope-ledger/notifications';
import { CompanySettingsService } from '../company/company-settings.service';
import { ServerConfig } from '../config';
import { ProblemException } from '../http/problem-details.filter';
import { PLATFORM, SEAL_CERTIFICATE, SERVER_CONFIG, SIGNING_SECRET } from '../platform.token';
import { ProjectReads } from '../projects/project-reads';
import { changeOrderDocumentModel } from './change-order-document';
import { CONSENT_VERSION } from './consent';
import { DocumentStore, StoredDocument } from './document-store';
import { signingEvidence } from './signing-evidence';

/** Stands in for a document hash in a command the domain refuses anyway. */
const NO_DOCUMENT = '0'.repeat(64);

export interface SigningLink {
  projectId: string;
  changeOrderId: string;
  token: string;
}

export interface SignerContext {
  ip: string;
  userAgent: string;
}

/** Issuing and signing, the commands that need documents; other change-order commands are plain project commands. */
@Injectable()
export class ChangeOrderService {
  constructor(
    private readonly commands: ProjectCommands,
    private readonly reads: ProjectReads,
    private readonly documents: DocumentStore,
    private readonly company: CompanySettingsService,
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(SIGNING_SECRET) private readonly secret: Buffer,
    @Inject(SEAL_CERTIFICATE) private readonly sealCertificate: SealCertificate,
  ) {}

  signingUrl(changeOrderId: string, nonce: string): string {
    return `${this.config.publicUrl}/sign/${signingToken(this.secret, changeOrderId, nonce)}`;
  }

  /**
   * The company's defaults for new drafts: signer verification (and whether a code can be emailed at all), terms,
   * and days to sign for projects that set none.
   */
  async draftDefaults() {
    const company = await this.company.current();
    return {
      defaultVerification: company.signerVerification,
      sendsEmail: company.smtp !== undefined,
      terms: company.paymentTerms,
      expiryDays: company.expiryDays,
    };
  }

  /** Renders a draft's document and sends it for signature. */
  issue(projectId: string, changeOrderId: string, context: CommandContext) {
    return this.send('IssueChangeOrder', projectId, changeOrderId, context);
  }

  /** Sends an order awaiting signature again as its next revision: the figures of now, a new document and link. */
  revise(projectId: string, changeOrderId: string, context: CommandContext) {
    return this.send('ReviseChangeOrder', projectId, changeOrderId, context);
  }

  private async send(
    type: 'IssueChangeOrder' | 'ReviseChangeOrder',
    projectId: string,
    changeOrderId: string,
    context: CommandContext,
  ) {
    // The company as the settings stand now, frozen into the document: a later change does not alter it.
    const msp = await this.company.forIssue();
    const nonce = newTokenNonce();
    const outcome = await this.commands.execute(
      projectId,
      async ({ state }) => {
        const order = requireOrder(state, changeOrderId);
        const now = new Date().toISOString();
        let documentSha256 = NO_DOCUMENT;
        // Render only when the order can be sent so; decide() still has the last word.
        const revision = type === 'IssueChangeOrder' ? 0 : order.revision + 1;
        if (order.status === (type === 'IssueChangeOrder' ? 'draft' : 'issued')) {
          const figures = issueFigures(state, order, now);
          const model = changeOrderDocumentModel(state, { ...order, revision }, figures, msp);
          documentSha256 = await this.documents.put(await renderChangeOrderPdf(model), model);
        }
        return {
          type,
          now,
          changeOrderId,
          documentSha256,
          signingTokenSha256: tokenSha256(signingToken(this.secret, changeOrderId, nonce)),
          signingTokenNonce: nonce,
        };
      },
      context,
    );
    // From the recorded issue, which a retried request is answered with again.
    const order = requireOrder(outcome.state, changeOrderId);
    const { signingTokenNonce, documentSha256, expiresAt } = order.issue!;
    const signingUrl = this.signingUrl(changeOrderId, signingTokenNonce);
    return { ...outcome, signingUrl, documentSha256, expiresAt, number: orderNumber(order) };
  }

  /** The issued order a link points at, with the project as it stands; unknown or malformed tokens are not found. */
  async resolve(token: string): Promise<SigningLink & { state: ProjectState; order: ChangeOrderState }> {
    const unknown = notFound('This signing link is not valid. Check that you opened the whole link from the email.');
    if (!isWellFormedToken(token)) throw unknown;
    await this.reads.catchUp();
    const link = await this.platform.readModel.signingLink(tokenSha256(token));
    if (!link) throw unknown;
    const { state } = await this.commands.load(link.projectId);
    const order = state.changeOrders.get(link.changeOrderId);
    if (!order?.issue) throw unknown;
    if (!tokenMatches(token, order.issue.signingTokenSha256))
      throw replacedLink(order, token, state.timeZone) ?? unknown;
    return { projectId: link.projectId, changeOrderId: link.changeOrderId, token, state, order };
  }

  /**
   * Where staff read an order's document: a draft is rendered as it would be issued now, marked DRAFT, and never
   * stored, hashed or recorded; an issued order has its real document (`undefined`: read that instead).
   */
  async draftPreview(state: ProjectState, order: ChangeOrderState): Promise<Buffer | undefined> {
    if (order.issue) return undefined;
    if (order.status !== 'draft')
      throw conflict(`${orderNumber(order)} was ${order.status} before it was issued; it has no document`);
    // Issuing needs the company's name and contact; a preview names what is missing instead of refusing.
    const msp = await this.company.forPreview();
    const model = changeOrderDocumentModel(state, order, issueFigures(state, order, new Date().toISOString()), msp);
    return renderDraftPreviewPdf(model);
  }

  /** The document as issued, with the model it was rendered from. */
  async issuedDocument(order: ChangeOrderState) {
    const { content, model } = await this.stored(order.issue!.documentSha256);
    return { pdf: content, sha256: order.issue!.documentSha256, model: model as ChangeOrderDocumentModel };
  }

  /** The document of one issue of a revised order, as it was sent: staff keep every revision on record. */
  async earlierIssue(order: ChangeOrderState, copy: 'issued' | undefined, revision: number) {
    if (copy !== 'issued')
      throw new ProblemException(400, 'Invalid request', 'revision needs copy=issued', [
        { field: 'revision', message: 'revision is read with copy=issued' },
      ]);
    const issue = order.issues.find((i) => i.revision === revision);
    if (!issue) {
      const known = order.issues.map((i) => i.revision).join(', ') || 'none';
      throw notFound(`${orderNumber(order)} has no issue with revision ${revision} (issued revisions: ${known})`);
    }
    const sha256 = issue.documentSha256;
    return { pdf: (await this.stored(sha256)).content, sha256, signed: false };
  }

  /** What a signer or staff member sees: the sealed copy once signed, unless they ask for the issued one. */
  async documentOf(
    order: ChangeOrderState,
    copy?: 'issued',
  ): Promise<{ pdf: Buffer; sha256: string; signed: boolean }> {
    if (!order.issue) throw conflict(`${orderNumber(order)} has not been issued yet; there is no document`);
    const sealed = copy === 'issued' ? undefined : order.signature?.signedDocumentSha256;
    const sha256 = sealed ?? order.issue.documentSha256;
    return { pdf: (await this.stored(sha256)).content, sha256, signed: sealed !== undefined };
  }

  async recordView(link: SigningLink, signer: SignerContext): Promise<void> {
    await this.commands.execute(
      link.projectId,
      { type: 'RecordChangeOrderView', now: new Date().toISOString(), changeOrderId: link.changeOrderId },
      this.signerContext(link, signer),
    );
  }

  async sign(
    link: SigningLink,
    input: { name: string; documentSha256: string; signaturePng?: Buffer; timeZone?: string },
    signer: SignerContext,
  ): Promise<CommandOutcome> {
    const checked = input.signaturePng && checkDrawnSignature(input.signaturePng);
    if (checked && !checked.usable) {
      const message = `signature is not a usable drawn signature (${checked.reason}); draw it again or leave it out`;
      throw new ProblemException(400, 'Invalid request', message, [{ field: 'signature', message }]);
    }
    const drawn = input.signaturePng;
    return this.commands.execute(
      link.projectId,
      async ({ state, headHash }) => {
        const now = new Date().toISOString();
        // Consent is its own step on the signing page; the signature records the text consented to.
        const ceremony = currentCeremony(requireOrder(state, link.changeOrderId));
        const consent = ceremony?.consent;
        const unsealed: CommandOf<'SignChangeOrder'> = {
          type: 'SignChangeOrder',
          now,
          changeOrderId: link.changeOrderId,
          name: input.name,
          consent: consent !== undefined,
          documentSha256: input.documentSha256,
          signature: drawn ? 'drawn' : 'typed',
          signedDocumentSha256: NO_DOCUMENT,
          consentVersion: consent?.disclosureVersion ?? CONSENT_VERSION,
          ...signer,
          streamHeadHash: headHash,
        };
        // Seal only a signature the domain accepts (signingRefusal and the rest of its rules);
        // a refused one goes on unsealed, for decide() to refuse again with its reason.
        if (!accepts(unsealed, state)) return unsealed;
        const order = requireOrder(state, link.changeOrderId);
        const issued = await this.issuedDocument(order);
        const { tsaUrl } = await this.company.current();
        const evidence = signingEvidence({
          events: await this.reads.events(link.projectId),
          order,
          outbox: await listOutbox(this.platform.sql, { changeOrderId: order.id }),
          // The company as the issued document names it, not as the settings may read today.
          company: issued.model.msp,
          tsaUrl,
          issuedPageCount: pdfPageCount(issued.pdf),
          signing: { at: now, ...signer, ...(input.timeZone ? { timeZone: input.timeZone } : {}) },
        });
        const record: SignatureRecord = {
          signerName: input.name.trim(),
          signerEmail: order.signer.email,
          signedAt: now,
          ...(drawn ? { drawnSignaturePng: drawn } : {}),
          ...signer,
          consentVersion: unsealed.consentVersion,
          ...(consent ? { consentedAt: consent.consentedAt } : {}),
          signerVerification: {
            method: order.signerVerification ?? 'none',
            ...(ceremony?.verifiedAt ? { verifiedAt: ceremony.verifiedAt } : {}),
          },
          documentSha256: issued.sha256,
          sentAt: order.issue!.issuedAt,
          ...(order.firstViewedAt ? { viewedAt: order.firstViewedAt } : {}),
          streamHeadHash: headHash,
          evidence,
        };
        const signed = await renderSignedChangeOrderPdf(issued.model, record);
        const sealed = await sealPdf(signed, this.sealCertificate, {
          sealedAt: new Date(now),
          reason: `Signed ${issued.model.order.number}`,
          tsaUrl,
        });
        return { ...unsealed, signedDocumentSha256: await this.documents.put(sealed.pdf) };
      },
      this.signerContext(link, signer),
    );
  }

  decline(link: SigningLink, reason: string, signer: SignerContext): Promise<CommandOutcome> {
    return this.commands.execute(
      link.projectId,
      {
        type: 'DeclineChangeOrder',
        now: new Date().toISOString(),
        changeOrderId: link.changeOrderId,
        reason,
        ...signer,
      },
      this.signerContext(link, signer),
    );
  }

  /** Expires every issued order whose date has passed. Safe to run on every server. */
  async expireOverdue(now = new Date().toISOString()): Promise<number> {
    // The overdue list is a read model: it must include the orders this server just issued.
    await this.reads.catchUp();
    let expired = 0;
    for (const { projectId, changeOrderId } of await this.platform.readModel.overdueOrders(now)) {
      try {
        const outcome = await this.commands.execute(
          projectId,
          { type: 'ExpireChangeOrder', now, changeOrderId },
          { actor: { kind: 'system', id: 'expiry' } },
        );
        expired += outcome.events.length;
      } catch (error) {
        // Signed or voided meanwhile: nothing to expire.
        if (!(error instanceof DomainError)) throw error;
      }
    }
    return expired;
  }

  private async stored(sha256: string): Promise<StoredDocument> {
    const stored = await this.documents.get(sha256);
    if (!stored) throw new Error(`Document ${sha256} is missing from the document store`);
    return stored;
  }

  signerContext(link: SigningLink, signer: SignerContext): CommandContext {
    return { actor: { kind: 'signer', id: `signing-link:${tokenSha256(link.token).slice(0, 16)}` }, ...signer };
  }
}

/** The link of an earlier issue of a revised order is gone: the signer is pointed to the newer email. */
function replacedLink(order: ChangeOrderState, token: string, timeZone?: string): DomainError | undefined {
  const earlier = order.issues.find((issue) => tokenMatches(token, issue.signingTokenSha256));
  if (!earlier) return undefined;
  const replaced = orderNumber({ number: order.number, revision: earlier.revision });
  // The day as the project counts it.
  const sentOn = calendarDateIn(order.issue!.issuedAt, timeZone);
  return new DomainError(
    'gone',
    `A newer revision of ${replaced} (${orderNumber(order)}) was sent on ${sentOn}; use the link in that email.`,
  );
}

function accepts(command: CommandOf<'SignChangeOrder'>, state: ProjectState): boolean {
  try {
    decide(command, state);
    return true;
  } catch {
    return false;
  }
}
