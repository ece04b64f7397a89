import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { formatUtcTimestamp } from '@scope-ledger/documents';
import { ChangeOrderState, isPastExpiry, orderNumber, signingRefusal } from '@scope-ledger/domain';
import { DocumentCopyQueryDto } from '../change-orders/change-order.dto';
import { ChangeOrderService, SignerContext } from '../change-orders/change-order.service';
import { ServerConfig } from '../config';
import { problemOf } from '../http/problem-details.filter';
import { SERVER_CONFIG } from '../platform.token';
import { DeclineSigningDto, SignChangeOrderDto } from './signing.dto';
import { ASSETS } from '../http/assets';
import { problemPage, signedPage, signingPage } from './signing-page';

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
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  @Get('sign/:token')
  @ApiOperation({ summary: 'The signing page (HTML)' })
  async page(@Param('token') token: string, @Req() request: Request, @Res() res: Response) {
    try {
      const link = await this.orders.resolve(token);
      const { order } = link;
      if (answered(order)) return this.send(res, 200, signedPage(link, this.config.mspName));
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
      await this.orders.recordView(link, signerOf(request));
      return this.send(res, 200, signingPage(token, issued.model, issued.sha256));
    } catch (error) {
      const { status, body } = problemOf(error);
      if (status >= 500) throw error;
      const title = status === 404 ? 'Link not found' : String(body.title);
      return this.send(res, status, problemPage(title, String(body.detail ?? '')));
    }
  }

  @Get('sign/:token/document.pdf')
  @ApiOperation({ summary: 'The document to sign (the sealed copy once signed, unless copy=issued)' })
  async document(
    @Param('token') token: string,
    @Query() query: DocumentCopyQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { order } = await this.orders.resolve(token);
    const refusal = answered(order) ? undefined : signingRefusal(order, new Date().toISOString());
    if (refusal) throw refusal;
    const document = await this.orders.documentOf(order, query.copy);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      `inline; filename="${orderNumber(order)}${document.signed ? '-signed' : ''}.pdf"`,
    );
    res.setHeader('X-Document-SHA256', document.sha256);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(document.pdf);
  }

  @Post('sign/:token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign: name, consent, the SHA-256 of the document reviewed, optional drawn signature' })
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

  private send(res: Response, status: number, body: string) {
    res.status(status).type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store').send(body);
  }
}
