import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { Transform } from 'class-transformer';
import { Billing, BILLINGS, PRODUCT_KINDS, ProductKind } from '@scope-ledger/domain';
import {
  ChangeableField,
  IsCurrencyCode,
  IsMinorUnits,
  IsRef,
  IsText,
  OptionalField,
} from '../projects/dto/common.dto';

const kindMessage = { message: 'kind must be product or licence' };
const billingMessage = { message: 'billing must be one_off or monthly' };

export class CatalogueProductDto {
  @ApiProperty({ example: 'LIC-M365-BP', description: 'unique regardless of letter case' })
  @IsRef('sku')
  sku!: string;

  @ApiProperty({ example: 'Microsoft 365 Business Premium' })
  @IsText(200)
  name!: string;

  @ApiProperty({ enum: PRODUCT_KINDS })
  @IsIn(PRODUCT_KINDS as string[], kindMessage)
  kind!: ProductKind;

  @ApiProperty({ enum: BILLINGS, description: 'one_off: paid once; monthly: a recurring charge per month' })
  @IsIn(BILLINGS as string[], billingMessage)
  billing!: Billing;

  @ApiProperty({ example: 'USD' })
  @IsCurrencyCode()
  currency!: string;

  @ApiProperty({ example: 2200, description: 'minor units per unit (per month for monthly billing)' })
  @IsMinorUnits()
  unitPrice!: number;

  @ApiProperty({ example: 1870, description: 'what a unit costs the company, in minor units; staff only' })
  @IsMinorUnits()
  unitCost!: number;
}

/** PATCH /api/catalogue/products/:sku: what to change; a field left out stays as it is, none may be null. */
export class UpdateProductDto {
  @ChangeableField({ example: 'Microsoft 365 Business Premium (annual commitment)' })
  @IsText(200)
  name?: string;

  @ChangeableField({ enum: PRODUCT_KINDS })
  @IsIn(PRODUCT_KINDS as string[], kindMessage)
  kind?: ProductKind;

  @ChangeableField({ enum: BILLINGS })
  @IsIn(BILLINGS as string[], billingMessage)
  billing?: Billing;

  @ChangeableField({ example: 'USD' })
  @IsCurrencyCode()
  currency?: string;

  @ChangeableField({ example: 2350 })
  @IsMinorUnits()
  unitPrice?: number;

  @ChangeableField({ example: 1870 })
  @IsMinorUnits()
  unitCost?: number;
}

export class CatalogueQueryDto {
  @OptionalField({ description: 'true: list retired products too' })
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'retired must be true or false' })
  retired?: boolean;
}
