import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsTimeZone, Matches, MaxLength } from 'class-validator';
import { IsText, OptionalField } from '../projects/dto/common.dto';

export class SignChangeOrderDto {
  @ApiProperty({ example: 'Dana Whitfield' })
  @IsText(200)
  name!: string;

  @ApiProperty({ description: 'SHA-256 of the document the signer reviewed' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'documentSha256 must be the 64-character SHA-256 shown on the page' })
  documentSha256!: string;

  @OptionalField({ description: 'drawn signature as a PNG data URL' })
  @IsString()
  @MaxLength(700_000)
  @Matches(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/, { message: 'signature must be a PNG data URL' })
  signature?: string;

  @OptionalField({
    example: 'Pacific/Auckland',
    description: "the signer's IANA time zone, as their browser reports it",
  })
  @IsTimeZone({ message: 'timeZone must be an IANA time zone such as Europe/Warsaw' })
  timeZone?: string;
}

export class DeclineSigningDto {
  @ApiProperty({ example: 'The price is above what we agreed on the phone' })
  @IsText(2000)
  reason!: string;
}

export class VerifySigningCodeDto {
  @ApiProperty({ example: '042917', description: 'the six-digit code emailed to the signer' })
  @IsString()
  @Matches(/^\s*[0-9]{6}\s*$/, { message: 'code must be the six digits from the email' })
  code!: string;
}
