import { Body, Controller, Get, Inject, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { findProduct, notFound } from '@scope-ledger/domain';
import { CommandContext, Platform } from '@scope-ledger/platform';
import { Roles } from '../auth/staff-auth.guard';
import { catalogueView } from '../catalogue/catalogue-view';
import { CatalogueProductDto, UpdateProductDto } from '../catalogue/catalogue.dto';
import { StaffContext } from '../http/request-context';
import { PLATFORM } from '../platform.token';
import { FormReader } from './form-reader';
import { noticeFor, PageViewer, Refusal, sendPage, submitForm } from './page-response';
import { cataloguePage, productPage } from './pages/catalogue.page';
import { Viewer } from './pages/layout';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const now = () => new Date().toISOString();

const NOTICES: Record<string, () => string> = {
  added: () => 'Product added to the catalogue.',
  saved: () => 'Product saved.',
  unchanged: () => 'Nothing changed: the product was already as entered.',
  retired: () => 'Product retired: new assessments can no longer add it.',
};

/** The product's fields as typed, money in the currency typed beside it. */
function productFields(form: FormReader) {
  const currency = form.text('currency').toUpperCase();
  return {
    name: form.text('name'),
    kind: form.text('kind'),
    billing: form.text('billing'),
    currency,
    unitPrice: form.money('unitPrice', currency),
    unitCost: form.money('unitCost', currency),
  };
}

/** The staff catalogue at /app/catalogue: list, add, change and retire products. */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Controller('app/catalogue')
export class CataloguePageController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  private async showList(
    res: Response,
    viewer: Viewer,
    shown: { refused?: Refusal; notice?: string; retired?: boolean },
  ) {
    const { state } = await this.platform.catalogue.load();
    const products = catalogueView(state, { retired: shown.retired ?? false });
    const page = cataloguePage(viewer, {
      products,
      showRetired: shown.retired ?? false,
      failure: shown.refused?.failure,
      notice: shown.notice,
    });
    sendPage(res, shown.refused?.status ?? 200, page);
  }

  private async showProduct(res: Response, viewer: Viewer, sku: string, refused?: Refusal) {
    const { state } = await this.platform.catalogue.load();
    const product = findProduct(state, sku);
    if (!product) throw notFound(`SKU ${sku} is not in the catalogue`);
    sendPage(res, refused?.status ?? 200, productPage(viewer, { product, failure: refused?.failure }));
  }

  @Get()
  async list(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    await this.showList(res, viewer, { notice: noticeFor(query, NOTICES), retired: query.retired === 'true' });
  }

  @Post()
  @Roles('pm')
  async add(
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'catalogue', body, async (form) => {
      const dto = await form.validate(CatalogueProductDto, { sku: form.text('sku'), ...productFields(form) });
      await this.platform.catalogue.execute({ type: 'CatalogueProduct', now: now(), ...dto }, context);
      return '/app/catalogue?done=added';
    });
    if (refused) await this.showList(res, viewer, { refused });
  }

  @Get(':sku')
  @Roles('pm')
  async product(@Param('sku') sku: string, @PageViewer() viewer: Viewer, @Res() res: Response) {
    await this.showProduct(res, viewer, sku);
  }

  @Post(':sku')
  @Roles('pm')
  async save(
    @Param('sku') sku: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'product', body, async (form) => {
      const dto = await form.validate(UpdateProductDto, productFields(form));
      const outcome = await this.platform.catalogue.execute(
        { type: 'UpdateProduct', now: now(), sku, ...dto },
        context,
      );
      return `/app/catalogue?done=${outcome.events.length > 0 ? 'saved' : 'unchanged'}`;
    });
    if (refused) await this.showProduct(res, viewer, sku, refused);
  }

  @Post(':sku/retire')
  @Roles('pm')
  async retire(
    @Param('sku') sku: string,
    @Body() body: unknown,
    @PageViewer() viewer: Viewer,
    @StaffContext() context: CommandContext,
    @Res() res: Response,
  ) {
    const refused = await submitForm(res, 'retire', body, async () => {
      await this.platform.catalogue.execute({ type: 'RetireProduct', now: now(), sku }, context);
      return '/app/catalogue?done=retired&retired=true';
    });
    if (refused) await this.showProduct(res, viewer, sku, refused);
  }
}
