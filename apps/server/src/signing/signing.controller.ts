import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { formatUtcTimestamp } from '@scope-ledger/documents';
import { DomainError } from '@scope-ledger/domain';
import { ProjectRepository } from '@scope-ledger/platform';
import { ChangeOrderService, SignerContext } from '../change-orders/change-order.service';
import { ServerConfig } from '../config';
import { problemOf } from '../http/problem-details.filter';
import { SERVER_CONFIG } from '../platform.token';
import { DeclineSigningDto, SignChangeOrderDto } from './signing.dto';
import { assetsCss, assetsSignJs, problemPage, signedPage, signingPage } from './signing-page';

function signerOf(request: Request): SignerContext {
  return {
    ip: request.ip ?? request.socket.remoteAddress ?? 'unknown',
    userAgent: String(request.headers['user-agent'] ?? 'unknown').slice(0, 500),
  };
}

/** The client signer's side: no account, just the link. */
@ApiTags('signing')
@Controller()
export class SigningController {
  constructor(
    private readonly orders: ChangeOrderService,
    private readonly projects: ProjectRepository,
    @Inject(SERVER_CONFIG) private readonly config: ServerConfig,
  ) {}

  @Get('sign/:token')
  @ApiOperation({ summary: 'The signing page (HTML)' })
  async page(@Param('token') token: string, @Req() request: Request, @Res() res: Response) {
    try {
      const link = await this.orders.resolve(token);
      const { state } = await this.projects.load(link.projectId);
      const order = state.changeOrders[link.changeOrderId];
      if (order.status === 'signed' || order.status === 'declined') {
        return this.send(
          res,
          200,
          signedPage({ token, state, changeOrderId: link.changeOrderId, mspName: this.config.mspName }),
        );
      }
      // Expired by the sweeper or merely past its date: the signer sees the same page.
      if (
        order.status === 'expired' ||
        (order.status === 'issued' && Date.parse(order.issue!.expiresAt) <= Date.now())
      ) {
        return this.send(
          res,
          410,
          problemPage(
            'This change order has expired',
            `CO-${order.number} could be signed until ${formatUtcTimestamp(order.issue!.expiresAt)}.`,
          ),
        );
      }
      if (order.status !== 'issued') {
        return this.send(
          res,
          410,
          problemPage(
            'This change order is no longer open',
            `CO-${order.number} was ${order.status}. It can no longer be signed.`,
          ),
        );
      }
      const issued = await this.orders.issuedDocument(link);
      await this.orders.recordView(link, signerOf(request));
      return this.send(res, 200, signingPage({ token, document: issued.model, documentSha256: issued.sha256 }));
    } catch (error) {
      const { status, body } = problemOf(error);
      if (status >= 500) throw error;
      return this.send(
        res,
        status,
        problemPage(status === 404 ? 'Link not found' : String(body.title), String(body.detail ?? '')),
      );
    }
  }

  @Get('sign/:token/document.pdf')
  @ApiOperation({ summary: 'The document to sign (the sealed copy once signed)' })
  async document(@Param('token') token: string, @Res({ passthrough: true }) res: Response) {
    const link = await this.orders.resolve(token);
    const { state } = await this.projects.load(link.projectId);
    const order = state.changeOrders[link.changeOrderId];
    if (order.status === 'voided' || order.status === 'expired')
      throw new DomainError('gone', `CO-${order.number} was ${order.status}`);
    const document = await this.orders.currentDocument(link.projectId, link.changeOrderId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      `inline; filename="CO-${order.number}${document.signed ? '-signed' : ''}.pdf"`,
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
    const outcome = await this.orders.sign(
      link,
      { name: dto.name, consent: dto.consent, documentSha256: dto.documentSha256, signaturePng: png },
      signerOf(request),
    );
    const order = outcome.state.changeOrders[link.changeOrderId];
    return {
      status: order.status,
      changeOrder: `CO-${order.number}`,
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
    const order = outcome.state.changeOrders[link.changeOrderId];
    return { status: order.status, changeOrder: `CO-${order.number}` };
  }

  @Get('assets/scope-ledger.css')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  css() {
    return assetsCss();
  }

  @Get('assets/sign.js')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  signJs() {
    return assetsSignJs();
  }

  private send(res: Response, status: number, body: string) {
    res.status(status).type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-store');
    res.send(body);
  }
}
