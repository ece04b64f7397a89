import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { findProduct, notFound } from '@scope-ledger/domain';
import { formatPosition } from '@scope-ledger/event-store';
import { CatalogueOutcome, CommandContext, Platform } from '@scope-ledger/platform';
import { Roles, StaffApi } from '../auth/staff-auth.guard';
import { StaffContext } from '../http/request-context';
import { ProjectReads } from '../projects/project-reads';
import { CatalogueProductDto, CatalogueQueryDto, UpdateProductDto } from './catalogue.dto';
import { catalogueView, productView } from './catalogue-view';
import { PLATFORM } from '../platform.token';
import { Answers, list } from '../http/answers';
import { Product, ProductCommandAnswer } from '../projects/project.schemas';

const now = () => new Date().toISOString();

/** Products and licences that assessments price by SKU. Reads answer only the present (asOf is refused). */
@StaffApi('catalogue', 'pm', 'finance')
@Controller('api/catalogue/products')
export class CatalogueController {
  constructor(
    @Inject(PLATFORM) private readonly platform: Platform,
    private readonly reads: ProjectReads,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List the catalogue by SKU: unit price, unit cost and margin; retired only with ?retired=true',
  })
  @Answers(200, list(Product))
  async list(@Query() query: CatalogueQueryDto) {
    const { state } = await this.reads.catalogue();
    return catalogueView(state, { retired: query.retired ?? false });
  }

  @Get(':sku')
  @ApiOperation({ summary: 'One product by SKU in any letter case, retired ones too (marked retired); 404 if unknown' })
  @Answers(200, Product, { errors: [404] })
  async product(@Param('sku') sku: string) {
    const { state } = await this.reads.catalogue();
    const product = findProduct(state, sku);
    if (!product) throw notFound(`SKU ${sku} is not in the catalogue`);
    return productView(product);
  }

  @Post()
  @Roles('pm')
  @ApiOperation({ summary: 'Catalogue a product or licence: SKU, name, kind, billing, currency, unit price and cost' })
  @Answers(201, ProductCommandAnswer, { errors: [409, 422], location: true })
  async create(
    @Body() dto: CatalogueProductDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const outcome = await this.platform.catalogue.execute({ type: 'CatalogueProduct', now: now(), ...dto }, context);
    res.location(`/api/catalogue/products/${encodeURIComponent(dto.sku)}`);
    return answer(outcome, dto.sku);
  }

  @Patch(':sku')
  @Roles('pm')
  @ApiOperation({ summary: 'Change a product: later assessments use the new figures; priced ones keep theirs' })
  @Answers(200, ProductCommandAnswer, { errors: [404, 409, 422] })
  async update(@Param('sku') sku: string, @Body() dto: UpdateProductDto, @StaffContext() context: CommandContext) {
    const outcome = await this.platform.catalogue.execute({ type: 'UpdateProduct', now: now(), sku, ...dto }, context);
    return answer(outcome, sku);
  }

  @Post(':sku/retire')
  @Roles('pm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retire a product: no new assessment may add it; what holds it keeps it' })
  @Answers(200, ProductCommandAnswer, { errors: [404, 409] })
  async retire(@Param('sku') sku: string, @StaffContext() context: CommandContext) {
    const outcome = await this.platform.catalogue.execute({ type: 'RetireProduct', now: now(), sku }, context);
    return answer(outcome, sku);
  }
}

function answer(outcome: CatalogueOutcome, sku: string) {
  return {
    product: productView(findProduct(outcome.state, sku)!),
    revision: Number(outcome.revision),
    position: outcome.position ? formatPosition(outcome.position) : null,
    events: outcome.events.map((e) => e.type),
  };
}
