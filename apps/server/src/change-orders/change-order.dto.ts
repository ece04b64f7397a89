import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { DEFAULT_TERMS, ProjectCommand, SIGNER_VERIFICATIONS, SignerVerification } from '@scope-ledger/domain';
import { ProblemException } from '../http/problem-details.filter';
import { IsNestedObject, IsText, OptionalField, PersonDto } from '../projects/dto/common.dto';

export class DraftChangeOrderDto {
  @ApiProperty({ type: [String], description: 'assessed change request ids' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true, message: 'each change request id must be a UUID' })
  changeRequestIds!: string[];

  @ApiProperty({ type: PersonDto, description: 'who signs for the client' })
  @IsNestedObject(() => PersonDto)
  signer!: PersonDto;

  @OptionalField({ example: 14 })
  @IsInt({ message: 'expiresInDays must be a whole number' })
  @Min(1)
  @Max(365)
  expiresInDays?: number;

  @OptionalField()
  @IsText(5000)
  terms?: string;

  @OptionalField({
    enum: SIGNER_VERIFICATIONS,
    description: 'email_code: the signer also enters a code emailed to them; default SIGNER_VERIFICATION_DEFAULT',
  })
  @IsIn(SIGNER_VERIFICATIONS as string[], {
    message: `signerVerification must be one of ${SIGNER_VERIFICATIONS.join(', ')}`,
  })
  signerVerification?: SignerVerification;
}

export class ReasonDto {
  @ApiProperty({ example: 'Revising the price after the site survey' })
  @IsText(2000)
  reason!: string;
}

/** Which copy of an order's PDF: without `copy` the newest, which is the sealed one once signed. */
export class DocumentCopyQueryDto {
  @OptionalField({
    enum: ['issued'],
    description: 'issued: the PDF exactly as issued (its SHA-256 is documentSha256), also after signing',
  })
  @IsIn(['issued'], { message: 'copy must be "issued", or left out for the newest copy' })
  copy?: 'issued';
}

export class StaffDocumentQueryDto extends DocumentCopyQueryDto {
  @OptionalField({
    type: 'integer',
    minimum: 0,
    description: 'with copy=issued: the document of an earlier issue (0 is the first, 1 is R1); the newest by default',
  })
  @Type(() => Number)
  @IsInt({ message: 'revision must be a whole number: 0 for the first issue, 1 for R1' })
  @Min(0, { message: 'revision must be 0 or more' })
  revision?: number;
}

/**
 * The draft command, with the default terms and signer verification, for the API and the staff pages alike.
 * An expiry left out stays out: the project's default expiry applies when the order is decided.
 */
export function draftChangeOrderCommand(
  dto: DraftChangeOrderDto,
  changeOrderId: string,
  now: string,
  signing: { defaultVerification: SignerVerification; sendsEmail: boolean; terms?: string; expiryDays?: number },
): ProjectCommand {
  const defaults = {
    terms: dto.terms ?? signing.terms ?? DEFAULT_TERMS,
    signerVerification: dto.signerVerification ?? signing.defaultVerification,
    ...(signing.expiryDays !== undefined ? { companyExpiryDays: signing.expiryDays } : {}),
  };
  // A code nobody can receive would leave the signer stuck: refuse it while the order is still a draft.
  if (defaults.signerVerification === 'email_code' && !signing.sendsEmail) {
    const message =
      'signerVerification email_code needs email: set an SMTP server (company settings or SMTP_URL), or choose none';
    throw new ProblemException(409, 'Conflict', `This server sends no email, so ${message}`, [
      { field: 'signerVerification', message },
    ]);
  }
  return { type: 'DraftChangeOrder', now, changeOrderId, ...dto, ...defaults };
}
