import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ChangeOrderDocumentModel } from '@scope-ledger/documents';
import {
  codeAttemptsLeft,
  conflict,
  currentCeremony,
  orderNumber,
  ProjectState,
  requireOrder,
} from '@scope-ledger/domain';
import { enqueueMessages, signingCodeEmail } from '@scope-ledger/notifications';
import { CommandOutcome, Platform, ProjectCommands } from '@scope-ledger/platform';
import { ChangeOrderService, SignerContext, SigningLink } from '../change-orders/change-order.service';
import { CONSENT_VERSION, consentText, disclosureDocument } from '../change-orders/consent';
import { DocumentStore } from '../change-orders/document-store';
import { CompanySettingsService } from '../company/company-settings.service';
import { ServerConfig } from '../config';
import { ProblemException } from '../http/problem-details.filter';
import { PLATFORM, SERVER_CONFIG, SIGNING_SECRET } from '../platform.token';

/**
 * The signer's steps before signing: downloads recorded, consent given or withdrawn with the disclosure text
 * stored by its hash, and the one-time code emailed and checked. The rules live in the domain
 * (signing-ceremony.ts); this turns requests into its commands.
 */
@Injectable()
export class SigningCeremonyService {
  constructor(
    private readonly commands: ProjectCommands,
    private readonly orders: ChangeOrderService,
    private readonly documents: DocumentStore,
    private readonly company: CompanySettingsService,
    @Inject(PLATFORM) private readonly platform: Platform,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
    @Inject(SIGNING_SECRET) private readonly secret: Buffer,
  ) {}

  /** The disclosure paragraphs for an order, naming the company as its document does. */
  async disclosure(state: ProjectState, changeOrderId: string): Promise<string[]> {
    return consentText(await this.companyOf(state, changeOrderId));
  }

  async recordDownload(link: SigningLink, copy: 'issued' | 'sealed', signer: SignerContext): Promise<void> {
    const now = new Date().toISOString();
    const command = { type: 'RecordDocumentDownload' as const, now, changeOrderId: link.changeOrderId, copy };
    await this.commands.execute(link.projectId, { ...command, ...signer }, this.orders.signerContext(link, signer));
  }

  consent(link: SigningLink, signer: SignerContext): Promise<CommandOutcome> {
    return this.commands.execute(
      link.projectId,
      async ({ state }) => ({
        type: 'RecordSignerConsent',
        now: new Date().toISOString(),
        changeOrderId: link.changeOrderId,
        disclosureVersion: CONSENT_VERSION,
        // The exact text the page showed, kept so the consent can be read again later.
        disclosureSha256: await this.documents.putText(
          disclosureDocument(await this.companyOf(state, link.changeOrderId)),
        ),
        ...signer,
      }),
      this.orders.signerContext(link, signer),
    );
  }

  withdraw(link: SigningLink, signer: SignerContext): Promise<CommandOutcome> {
    const command = { type: 'WithdrawSignerConsent' as const, now: new Date().toISOString(), ...signer };
    return this.commands.execute(
      link.projectId,
      { ...command, changeOrderId: link.changeOrderId },
      this.orders.signerContext(link, signer),
    );
  }

  /** A new six-digit code, recorded as a salted hash and emailed to the signer through the outbox. */
  async sendCode(link: SigningLink, signer: SignerContext): Promise<{ sentTo: string; expiresAt: string }> {
    if (!(await this.company.current()).smtp)
      throw conflict('This server sends no email, so it cannot send you a code; contact the sender of the order');
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const codeSalt = randomBytes(16).toString('base64url');
    const outcome = await this.commands.execute(
      link.projectId,
      {
        type: 'SendSigningCode',
        now: new Date().toISOString(),
        changeOrderId: link.changeOrderId,
        codeSalt,
        codeSha256: this.codeHash(codeSalt, code),
      },
      this.orders.signerContext(link, signer),
    );
    const { state } = outcome;
    const order = requireOrder(state, link.changeOrderId);
    const expiresAt = currentCeremony(order)!.code!.expiresAt;
    const email = signingCodeEmail(await this.company.mailIdentity(), state, order, { code, expiresAt });
    await enqueueMessages(this.platform.sql, [
      {
        dedupeKey: `${order.id}:signing-code:${codeSalt}`,
        kind: 'signing_code',
        projectId: link.projectId,
        changeOrderId: order.id,
        ...email,
      },
    ]);
    return { sentTo: order.signer.email, expiresAt };
  }

  /** A wrong code is recorded and answered 422 with the tries left; a right one opens the signature form. */
  async verifyCode(link: SigningLink, code: string, signer: SignerContext): Promise<CommandOutcome> {
    const outcome = await this.commands.execute(
      link.projectId,
      ({ state }) => {
        const salt = currentCeremony(requireOrder(state, link.changeOrderId))?.code?.codeSalt ?? '';
        return {
          type: 'VerifySigningCode',
          now: new Date().toISOString(),
          changeOrderId: link.changeOrderId,
          codeSha256: this.codeHash(salt, code),
          ip: signer.ip,
        };
      },
      this.orders.signerContext(link, signer),
    );
    if (outcome.events.some((e) => e.type === 'SigningCodeRejected')) {
      const left = codeAttemptsLeft(requireOrder(outcome.state, link.changeOrderId));
      const detail =
        left > 0
          ? `That code is not right; ${left} ${left === 1 ? 'try' : 'tries'} left`
          : 'That code is not right, and it was the last try; ask for a new code';
      throw new ProblemException(422, 'Wrong code', detail, [{ field: 'code', message: detail }]);
    }
    return outcome;
  }

  /** HMAC under the server's signing secret: the stream alone cannot be searched for the code. */
  private codeHash(salt: string, code: string): string {
    return createHmac('sha256', this.secret).update(`signing-code:${salt}:${code}`).digest('hex');
  }

  /** The company as the issued document names it: what the signer was shown, whatever the settings say now. */
  private async companyOf(state: ProjectState, changeOrderId: string) {
    const order = requireOrder(state, changeOrderId);
    if (!order.issue) throw conflict(`${orderNumber(order)} has not been issued`);
    const { model } = await this.orders.issuedDocument(order);
    return (model as ChangeOrderDocumentModel).msp;
  }
}
