import { Controller, Get, Param, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/staff-auth.guard';
import { CapacityController } from '../capacity/capacity.controller';
import { AnswersAsOf } from '../http/request-context';
import { apiParameterType } from './api-route-types';
import { FormReader, optional } from './form-reader';
import { ProblemException } from '../http/problem-details.filter';
import { PageViewer, sendPage } from './page-response';
import { FormFailure } from './pages/forms';
import { CapacityCell, capacityCellPage, capacityPage, CapacityWindow } from './pages/capacity.page';
import { Viewer } from './pages/layout';
import { StaffPageErrorsFilter } from './staff-page-errors.filter';
import { StaffSessionGuard } from './staff-session.guard';

const CapacityQueryDto = apiParameterType(CapacityController, 'plan', 0);
const CellQueryDto = apiParameterType(CapacityController, 'cell', 2);

/**
 * The window as typed into the page's GET form, validated by the API's own query DTO; an `asOf` from a
 * datetime-local field counts as UTC. A refusal comes back as the form's failure, to show beside its fields.
 */
async function readWindow(query: Record<string, unknown>): Promise<{ window: CapacityWindow; failure?: FormFailure }> {
  const form = new FormReader(query);
  try {
    const window = (await form.validate(CapacityQueryDto, {
      ...optional('from', form.optional('from')),
      ...optional('weeks', form.number('weeks')),
      ...optional('asOf', form.timestamp('asOf')),
    })) as CapacityWindow;
    return { window };
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    const problem = error.getResponse() as { detail: string };
    return {
      window: {},
      failure: { form: 'capacity', values: form.values, detail: problem.detail, errors: error.errors ?? [] },
    };
  }
}

/**
 * The capacity pages: the heat map at /app/capacity and the cards behind one cell, read through the API's own
 * handlers so they show exactly what GET /api/capacity gives.
 */
@ApiExcludeController()
@UseGuards(StaffSessionGuard)
@UseFilters(StaffPageErrorsFilter)
@Controller('app/capacity')
export class CapacityPageController {
  constructor(private readonly moduleRef: ModuleRef) {}

  private get api(): CapacityController {
    return this.moduleRef.get(CapacityController, { strict: false });
  }

  @Get()
  @Roles('pm', 'finance')
  @AnswersAsOf()
  async capacity(@Query() query: Record<string, unknown>, @PageViewer() viewer: Viewer, @Res() res: Response) {
    const { window, failure } = await readWindow(query);
    const plan = await this.api.plan(window);
    sendPage(res, failure ? 400 : 200, capacityPage(viewer, { plan, window, failure }));
  }

  @Get('people/:personId/weeks/:weekOf')
  @Roles('pm', 'finance')
  @AnswersAsOf()
  async cell(
    @Param('personId') personId: string,
    @Param('weekOf') weekOf: string,
    @Query() query: Record<string, unknown>,
    @PageViewer() viewer: Viewer,
    @Res() res: Response,
  ) {
    const form = new FormReader(query);
    const { asOf } = (await form.validate(CellQueryDto, { ...optional('asOf', form.timestamp('asOf')) })) as {
      asOf?: string;
    };
    const cell = (await this.api.cell(personId, weekOf, asOf ? { asOf } : {})) as CapacityCell;
    sendPage(res, 200, capacityCellPage(viewer, cell));
  }
}
