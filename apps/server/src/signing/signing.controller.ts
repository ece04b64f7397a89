import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { formatUtcTimestamp } from '@scope-ledger/documents';
import {
  ChangeOrderState,
  currentCeremony,
  isPastExpiry,
  notFound,
  orderNumber,
  signingRefusal,
  staleFiguresRefusal,
} from '@scope-ledger/domain';
import { DocumentCopyQueryDto } from '../change-orders/change-order.dto';
import { ChangeOrderService, SignerContext, SigningLink } from '../change-orders/change-order.service';
import { DocumentStore } from '../change-orders/document-store';
import { consentText } from '../change-orders/consent';
import { problemOf } from '../http/problem-details.filter';
import { SigningCeremonyService } from './signing-ceremony.service';
import { DeclineSigningDto, SignChangeOrderDto, VerifySigningCodeDto } from './signing.dto';
import { ASSETS } from '../http/assets';
import { problemPage, signedPage, signingPage, withdrawnPage } from './signing-page';
import { Answers } from '../http/answers';
import { CodeVerified, Signed, SigningDeclined, SigningStep, Withdrawn } from './signing.schemas';

type ResolvedLink = Awaited<ReturnType<ChangeOrderService['resolve']>>;

function signerOf(request: Request): SignerContext {
  return {
    ip: request.ip ?? request.socket.remoteAddress ?? 'unknown',
    userAgent: String(request.headers['user-agent'] ?? 'unknown').slice(0, 500),
  };
}

/** Signed or declined: the link stays open, read-only, for the record. */
function answered(order: ChangeOrderState): boolean {
  return order.status === 'signed' || order.status === 'declined';
}

/** The client signer's side: no account, just the link. */
@ApiTags('signing')
@Controller()
export class SigningController {
  constructor(
    private readonly orders: ChangeOrderService,
    private readonly ceremony: SigningCeremonyService,
    private readonly documents: DocumentStore,
  ) {}

  /** A consent disclosure exactly as a signer was shown it, by the SHA-256 that SignerConsented records. */
  @Get('disclosures/:sha256')
  @ApiOperation({ summary: 'The consent disclosure text whose SHA-256 a SignerConsented event records (public)' })
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Answers(200, { type: 'string', description: 'the disclosure text (text/plain)' }, { errors: [404] })
  async disclosure(@Param('sha256') sha256: string) {
    const text = /^[0-9a-f]{64}$/.test(sha256) ? await this.documents.getText(sha256) : undefined;
    if (text === undefined) throw notFound('No consent disclosure has this SHA-256');
    return text;
  }

  @Get('sign/:token')
  @ApiOperation({ summary: 'The signing page (HTML)' })
  @Answers(200, 'html', { errors: [404, 410] })
  async page(@Param('token') token: string, @Req() request: Request, @Res() res: Response) {
    try {
      const link = await this.orders.resolve(token);
      // Serving the page is what lets the link sign: record it before anything else.
      const open = !answered(link.order) && !signingRefusal(link.order, new Date().toISOString());
      if (open) await this.orders.recordView(link, signerOf(request));
      return await this.showPage(link, res, 200);
    } catch (error) {
      return this.sendProblemPage(res, error);
    }
  }

  @Get('sign/:token/document.pdf')
  @ApiOperation({ summary: 'The document to sign (the sealed copy once signed, unless copy=issued)' })
  @Answers(200, 'pdf', { errors: [404, 410] })
  async document(
    @Param('token') token: string,
    @Query() query: DocumentCopyQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const link = await this.orders.resolve(token);
    const { order } = link;
    const refusal = answered(order) ? undefined : signingRefusal(order, new Date().toISOString());
    if (refusal) throw refusal;
    const document = await this.orders.documentOf(order, query.copy);
    await this.ceremony.recordDownload(link, document.signed ? 'sealed' : 'issued', signerOf(request));
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      `inline; filename="${orderNumber(order)}${document.signed ? '-signed' : ''}.pdf"`,
    );
    res.setHeader('X-Document-SHA256', document.sha256);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(document.pdf);
  }

  @Post('sign/:token/consent')
  @ApiOperation({ summary: 'Consent to electronic records and signature; the disclosure shown is stored by its hash' })
  @Answers(200, SigningStep, { errors: [404, 409, 410], redirects: [303] })
  consent(@Param('token') token: string, @Req() request: Request, @Res() res: Response) {
    return this.step(token, request, res, async (link) => {
      const { state } = await this.ceremony.consent(link, signerOf(request));
      const consent = currentCeremony(state.changeOrders.get(link.changeOrderId)!)!.consent!;
      return consent;
    });
  }

  @Post('sign/:token/consent/withdraw')
  @ApiOperation({ summary: 'Withdraw consent: the order can then no longer be signed through this link' })
  @Answers(200, Withdrawn, { errors: [404, 409, 410], redirects: [303] })
  withdraw(@Param('token') token: string, @Req() request: Request, @Res() res: Response) {
    return this.step(token, request, res, async (link) => {
      const { state } = await this.ceremony.withdraw(link, signerOf(request));
      return { withdrawnAt: currentCeremony(state.changeOrders.get(link.changeOrderId)!)!.withdrawnAt };
    });
  }

  @Post('sign/:token/code')
  @ApiOperation({ summary: "Email a one-time code to the signer's address (orders drafted with email_code)" })
  @Answers(200, SigningStep, { errors: [404, 409, 410], redirects: [303] })
  sendCode(@Param('token') token: string, @Req() request: Request, @Res() res: Response) {
    return this.step(token, request, res, (link) => this.ceremony.sendCode(link, signerOf(request)));
  }

  @Post('sign/:token/code/verify')
  @ApiOperation({ summary: 'Confirm the one-time code; five wrong tries per code' })
  @Answers(200, CodeVerified, { errors: [404, 409, 410, 422], redirects: [303] })
  verifyCode(
    @Param('token') token: string,
    @Body() dto: VerifySigningCodeDto,
    @Req() request: Request,
    @Res() res: Response,
  ) {
    return this.step(token, request, res, async (link) => {
      const { state } = await this.ceremony.verifyCode(link, dto.code.trim(), signerOf(request));
      return { verifiedAt: currentCeremony(state.changeOrders.get(link.changeOrderId)!)!.verifiedAt };
    });
  }

  @Post('sign/:token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign: name, the SHA-256 of the document reviewed, optional drawn signature (after consent)',
  })
  @Answers(200, Signed, { errors: [404, 409, 410, 422] })
  async sign(@Param('token') token: string, @Body() dto: SignChangeOrderDto, @Req() request: Request) {
    const link = await this.orders.resolve(token);
    const png = dto.signature ? Buffer.from(dto.signature.slice(dto.signature.indexOf(',') + 1), 'base64') : undefined;
    const outcome = await this.orders.sign(link, { ...dto, signaturePng: png }, signerOf(request));
    const order = outcome.state.changeOrders.get(link.changeOrderId)!;
    return {
      status: order.status,
      changeOrder: orderNumber(order),
      signedAt: order.signature?.signedAt,
      signedDocumentSha256: order.signature?.signedDocumentSha256,
      download: `/sign/${token}/document.pdf`,
    };
  }

  @Post('sign/:token/decline')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decline with a reason' })
  @Answers(200, SigningDeclined, { errors: [404, 409, 410, 422] })
  async decline(@Param('token') token: string, @Body() dto: DeclineSigningDto, @Req() request: Request) {
    const link = await this.orders.resolve(token);
    const outcome = await this.orders.decline(link, dto.reason, signerOf(request));
    const order = outcome.state.changeOrders.get(link.changeOrderId)!;
    return { status: order.status, changeOrder: orderNumber(order) };
  }

  @Get('assets/scope-ledger.css')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  css() {
    return ASSETS.css;
  }

  /** The icon, also where browsers look for it without being told. */
  @Get(['assets/favicon.svg', 'favicon.ico'])
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', 'public, max-age=86400')
  favicon() {
    return ASSETS.favicon;
  }

  @Get('assets/sign.js')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  signJs() {
    return ASSETS.signJs;
  }

  /**
   * One step of the ceremony, posted as JSON or as a form from the page: a form gets the page back (after
   * a redirect when it worked, with the refusal shown when not), JSON its answer or a problem.
   */
  private async step(token: string, request: Request, res: Response, action: (link: SigningLink) => Promise<object>) {
    // By its header: a form with no fields posts no body, which request.is() does not type.
    const fromPage = /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
    try {
      const answer = await action(await this.orders.resolve(token));
      if (fromPage) return res.redirect(303, `/sign/${token}`);
      return res.status(200).json(answer);
    } catch (error) {
      if (!fromPage) throw error;
      const { status, body } = problemOf(error);
      if (status >= 500) throw error;
      // A wrong code is recorded: the page says so from the tries it counts, so a reload sends nothing again.
      if (body.title === 'Wrong code') return res.redirect(303, `/sign/${token}#code-step`);
      try {
        return await this.showPage(await this.orders.resolve(token), res, status, String(body.detail ?? body.title));
      } catch (unshown) {
        return this.sendProblemPage(res, unshown);
      }
    }
  }

  /** The page for where the order and this link stand: read-only, gone, withdrawn, or the next step. */
  private async showPage(link: ResolvedLink, res: Response, status: number, error?: string) {
    const { order, token } = link;
    if (answered(order)) {
      // The company as the issued order names it, as on the pages before it was answered.
      const { model } = await this.orders.issuedDocument(order);
      return this.send(res, 200, signedPage(link, model.msp));
    }
    const now = new Date().toISOString();
    if (signingRefusal(order, now)) {
      // Expired by the sweeper or merely past its date: the signer sees the same page.
      const expired = isPastExpiry(order, now);
      const title = expired ? 'This change order has expired' : 'This change order is no longer open';
      const detail = expired
        ? `${orderNumber(order)} could be signed until ${formatUtcTimestamp(order.issue!.expiresAt)}.`
        : `${orderNumber(order)} was ${order.status}. It can no longer be signed.`;
      return this.send(res, 410, problemPage(title, detail));
    }
    const issued = await this.orders.issuedDocument(order);
    const ceremony = currentCeremony(order);
    if (ceremony?.withdrawnAt) return this.send(res, 200, withdrawnPage(token, issued.model, ceremony.withdrawnAt));
    // An order prepared before another was signed states figures that no longer hold: no signing, only a way out.
    const outOfDate = staleFiguresRefusal(link.state, order)?.message;
    const step = {
      ceremony,
      signerVerification: order.signerVerification ?? 'none',
      disclosure: consentText(issued.model.msp),
      ...(error ? { error } : {}),
      ...(outOfDate ? { outOfDate } : {}),
      ...(link.state.timeZone ? { timeZone: link.state.timeZone } : {}),
    };
    return this.send(res, status, signingPage(token, issued.model, issued.sha256, step));
  }

  private sendProblemPage(res: Response, error: unknown) {
    const { status, body } = problemOf(error);
    if (status >= 500) throw error;
    const title = status === 404 ? 'Link not found' : String(body.title);
    return this.send(res, status, problemPage(title, String(body.detail ?? '')));
  }

  private send(res: Response, status: number, body: string) {
    res.status(status).type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store').send(body);
  }
}
