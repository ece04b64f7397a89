import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_MINOR } from '@scope-ledger/domain';
import { CommandContext, ProjectCommands } from '@scope-ledger/platform';
import { baselineBilling } from '@scope-ledger/projections';
import { StaffApi } from '../auth/staff-auth.guard';
import { StaffContext, uuid } from '../http/request-context';
import { commandAnswer } from '../projects/command-answer';
import { IsCalendarDate, IsText, OptionalField } from '../projects/dto/common.dto';
import { VoidInvoiceDto } from './finance.controller';
import { Answers } from '../http/answers';
import { BaselineBilling } from './finance.schemas';

class RecordBaselineInvoiceDto {
  @ApiProperty({ example: 'INV-2026-0140' })
  @IsText(100)
  invoiceNumber!: string;

  @ApiProperty({ example: 250000, description: 'minor units, above zero; never beyond the uninvoiced baseline' })
  @IsInt({ message: 'amount must be a whole number of minor units (cents)' })
  @Min(-MAX_MINOR)
  @Max(MAX_MINOR)
  amount!: number;

  @OptionalField({ example: '2026-03-31', description: 'the date on the invoice; today when left out; never later' })
  @IsCalendarDate()
  invoiceDate?: string;

  @OptionalField({ example: 'M1', description: 'the ref of the baseline milestone it bills; left out: the baseline' })
  @IsText(40)
  milestone?: string;
}

/** Invoices against a project's baseline contract, as a whole or milestone by milestone. */
@StaffApi('finance', 'finance')
@Controller('api/projects/:id/invoices')
export class BaselineInvoicesController {
  constructor(private readonly commands: ProjectCommands) {}

  @Post()
  @ApiOperation({
    summary: 'Record an invoice against the baseline contract, naming the milestone it bills if it bills one',
    description:
      'Positive, never beyond what of the baseline is not yet invoiced; the number is used once in the project. ' +
      'Answers the baseline billing: contract, invoiced (per milestone), uninvoiced and the invoices.',
  })
  @Answers(201, BaselineBilling, { errors: [404, 409, 422] })
  async record(
    @Param('id', uuid) id: string,
    @Body() dto: RecordBaselineInvoiceDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = { type: 'RecordBaselineInvoice', now: new Date().toISOString(), ...dto } as const;
    const outcome = await this.commands.execute(id, command, context);
    return commandAnswer(res, outcome, baselineBilling(outcome.state));
  }

  @Post(':invoiceNumber/void')
  @ApiOperation({ summary: 'Void a baseline invoice: it stays on record, counts for nothing; its number stays used' })
  @Answers(201, BaselineBilling, { errors: [404, 409, 422] })
  async voidInvoice(
    @Param('id', uuid) id: string,
    @Param('invoiceNumber') invoiceNumber: string,
    @Body() dto: VoidInvoiceDto,
    @StaffContext() context: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const command = { type: 'VoidBaselineInvoice', now: new Date().toISOString(), invoiceNumber, ...dto } as const;
    const outcome = await this.commands.execute(id, command, context);
    return commandAnswer(res, outcome, baselineBilling(outcome.state));
  }
}
