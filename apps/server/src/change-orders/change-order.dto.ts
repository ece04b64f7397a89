import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEFAULT_EXPIRY_DAYS, DEFAULT_TERMS, ProjectCommand } from '@scope-ledger/domain';
import { NoControlCharacters, PersonDto } from '../projects/dto/common.dto';

export class DraftChangeOrderDto {
  @ApiProperty({ type: [String], description: 'assessed change request ids' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID(undefined, { each: true, message: 'each change request id must be a UUID' })
  changeRequestIds!: string[];

  @ApiProperty({ type: PersonDto, description: 'who signs for the client' })
  @IsObject()
  @ValidateNested()
  @Type(() => PersonDto)
  signer!: PersonDto;

  @ApiPropertyOptional({ example: 14 })
  @IsOptional()
  @IsInt({ message: 'expiresInDays must be a whole number' })
  @Min(1)
  @Max(365)
  expiresInDays?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(5000)
  @NoControlCharacters()
  terms?: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Revising the price after the site survey' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  @NoControlCharacters()
  reason!: string;
}

/** The draft command, with the default expiry and terms, for the API and the staff pages alike. */
export function draftChangeOrderCommand(dto: DraftChangeOrderDto, changeOrderId: string, now: string): ProjectCommand {
  return {
    type: 'DraftChangeOrder',
    now,
    changeOrderId,
    changeRequestIds: dto.changeRequestIds,
    signer: dto.signer,
    expiresInDays: dto.expiresInDays ?? DEFAULT_EXPIRY_DAYS,
    terms: dto.terms ?? DEFAULT_TERMS,
  };
}
