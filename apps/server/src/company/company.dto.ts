import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { SIGNER_VERIFICATIONS, SignerVerification } from '@scope-ledger/domain';
import { CompanySettingsInput } from './company-settings.service';

/** A setting that may be left out (unchanged), or null to clear it: the environment's value applies again. */
function Setting(options: ApiPropertyOptions) {
  return applyDecorators(ApiPropertyOptional({ ...options, nullable: true } as ApiPropertyOptions), IsOptional());
}

const text = (field: string) => ({ message: `${field} must be text` });

/**
 * PATCH /api/admin/company: the settings to change; the rules of each value (lengths, https, contrast, image) are
 * the domain's, answered 400 naming the field.
 */
export class UpdateCompanySettingsDto implements CompanySettingsInput {
  @Setting({ example: 'Northwind IT & Cloud' })
  @IsString(text('name'))
  name?: string | null;

  @Setting({ example: 'projects@northwind.example', description: 'contact email printed on orders' })
  @IsString(text('email'))
  email?: string | null;

  @Setting({ example: '+1 206 555 0100' })
  @IsString(text('phone'))
  phone?: string | null;

  @Setting({ example: '1 Harbour Street\nSeattle, WA 98101', description: 'up to 6 lines' })
  @IsString(text('address'))
  address?: string | null;

  @Setting({ description: 'a PNG or JPEG of at most 200 kB as a data: URL (data:image/png;base64,…); null removes it' })
  @IsString(text('logo'))
  @MaxLength(300_000, { message: 'logo must be at most 200 kB' })
  logo?: string | null;

  @Setting({ example: '#1d4ed8', description: 'contrast on white of at least 4.5:1' })
  @IsString(text('brandColour'))
  brandColour?: string | null;

  @Setting({ description: 'terms printed on new change orders that name none' })
  @IsString(text('paymentTerms'))
  paymentTerms?: string | null;

  @Setting({ type: 'integer', minimum: 1, maximum: 365, description: 'days to sign for projects with no default' })
  @IsInt({ message: 'expiryDays must be a whole number of days' })
  expiryDays?: number | null;

  @Setting({ example: 'https://freetsa.org/tsr', description: 'RFC 3161 time-stamp authority (https); "" for none' })
  @IsString(text('tsaUrl'))
  tsaUrl?: string | null;

  @Setting({ enum: SIGNER_VERIFICATIONS })
  @IsIn(SIGNER_VERIFICATIONS as string[], {
    message: `signerVerification must be one of ${SIGNER_VERIFICATIONS.join(', ')}`,
  })
  signerVerification?: SignerVerification | null;

  @Setting({ example: 'smtp.office365.com' })
  @IsString(text('smtpHost'))
  smtpHost?: string | null;

  @Setting({ type: 'integer', example: 587 })
  @IsInt({ message: 'smtpPort must be a whole number' })
  smtpPort?: number | null;

  @Setting({ description: 'TLS from the start (port 465); false: STARTTLS when offered' })
  @IsBoolean({ message: 'smtpSecure must be true or false' })
  smtpSecure?: boolean | null;

  @Setting({ example: 'ledger@northwind.example' })
  @IsString(text('smtpUser'))
  smtpUser?: string | null;

  @Setting({ description: 'write-only: kept apart from the events and never answered back; null or "" removes it' })
  @IsString(text('smtpPassword'))
  smtpPassword?: string | null;

  @Setting({ example: 'ledger@northwind.example', description: 'the From address; the company name is the From name' })
  @IsString(text('mailFrom'))
  mailFrom?: string | null;
}

export class TestEmailDto {
  @ApiProperty({ example: 'it-admin@northwind.example' })
  @IsEmail({}, { message: 'to must be an email address' })
  to!: string;
}
