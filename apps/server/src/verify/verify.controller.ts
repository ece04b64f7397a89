import {
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Req,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CompanySettingsService } from '../company/company-settings.service';
import { DocumentCheck } from './document-check';
import { MultipartPdf, RawPdfBody, UploadedPdfFile, uploadedPdf, VerifyProblemFilter, wantsPage } from './pdf-upload';
import { verifyPage } from './verify-page';
import { Answers } from '../http/answers';
import { DocumentCheckResult } from '../signing/signing.schemas';

const PDF_BINARY = { type: 'string', format: 'binary' } as const;

/** Anyone holding a change-order PDF can check it here: no account, nothing learnt beyond what the PDF shows. */
@ApiTags('verify')
@Controller()
@UseFilters(VerifyProblemFilter)
export class VerifyController {
  constructor(
    private readonly documents: DocumentCheck,
    private readonly company: CompanySettingsService,
  ) {}

  @Get('verify')
  @ApiOperation({ summary: 'The public page to check a change-order PDF (HTML form)' })
  @ApiProduces('text/html')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Answers(200, 'html')
  async page() {
    return verifyPage((await this.company.current()).name);
  }

  @Post('api/verify')
  @HttpCode(200)
  @UseInterceptors(RawPdfBody, MultipartPdf)
  @ApiOperation({
    summary: 'Which change order, revision and copy (issued or sealed) a PDF is, and whether it was added to',
    description:
      'No authentication. Send the PDF as the body (Content-Type: application/pdf) or as the field "file" of ' +
      'multipart/form-data, up to 20 MB. A PDF that matches nothing answers 200 with recognised: false; a file ' +
      'that is not a PDF answers 400, another media type 415, a larger file 413. With Accept: text/html the answer ' +
      'is the page.',
    requestBody: {
      required: true,
      content: {
        'application/pdf': { schema: PDF_BINARY },
        'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: PDF_BINARY } } },
      },
    },
  })
  @ApiConsumes('application/pdf', 'multipart/form-data')
  @Answers(200, DocumentCheckResult, { errors: [400, 413, 415], alsoAs: ['html'] })
  async verify(
    @Req() request: Request,
    @UploadedFile() file: UploadedPdfFile | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const result = await this.documents.check(uploadedPdf(request, file));
    response.setHeader('Cache-Control', 'no-store');
    if (!wantsPage(request)) return result;
    response.type('text/html; charset=utf-8');
    return verifyPage((await this.company.current()).name, result);
  }
}
