import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { NoControlCharacters, PersonDto } from '../projects/dto/common.dto';

export class DraftChangeOrderDto {
  @ApiProperty({ type: [String], description: 'assessed change request ids' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsUUID(undefined, { each: true, message: 'each change request id must be a UUID' })
  changeRequestIds!: string[];

  @ApiProperty({ type: PersonDto, description: 'who signs for the client' })
  @IsObject() @ValidateNested() @Type(() => PersonDto)
  signer!: PersonDto;

  @ApiPropertyOptional({ example: 14 })
  @IsOptional() @IsInt({ message: 'expiresInDays must be a whole number' }) @Min(1) @Max(365)
  expiresInDays?: number;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(5000) @NoControlCharacters()
  terms?: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Revising the price after the site survey' })
  @IsString() @IsNotEmpty() @MaxLength(2000) @NoControlCharacters()
  reason!: string;
}
