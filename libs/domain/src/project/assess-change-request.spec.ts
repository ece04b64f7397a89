import { AssessmentLineInput, ProjectCommand } from './commands';
import { event, ProjectEvent } from './events';
import { given } from '../testing/decider-specification';
import {
  ASSESSED_AT,
  baselined,
  cardCancelled,
  CO_1,
  CR_1,
  CR_3,
  onOrder,
  orderDrafted,
  orderIssued,
  orderSigned,
  orderVoided,
  projectOpened,
  REMOVE_SI_3,
  requestAssessed,
  requestDeclined,
  requestLogged,
  SI_1,
  SI_2,
  SI_3,
  withDraftOrder,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const assess = (
  lines: AssessmentLineInput[],
  options: {
    schedule?: { milestone: string; workingDays: number }[];
    notes?: string;
    noCharge?: boolean;
    changeRequestId?: string;
  } = {},
): ProjectCommand => ({
  type: 'AssessChangeRequest',
  now: ASSESSED_AT,
  changeRequestId: options.changeRequestId ?? CR_1,
  lines,
  schedule: options.schedule ?? [],
  ...(options.notes ? { notes: options.notes } : {}),
  noCharge: options.noCharge ?? false,
});

const ADD_CONDITIONAL_ACCESS: AssessmentLineInput = {
  op: 'add',
  ref: 'SI-4',
  title: 'Conditional access baseline',
  role: 'architect',
  hours: 6,
};
const logged: ProjectEvent[] = [...baselined, requestLogged(CR_1, 1)];

describe('assessing a change request', () => {
  it('prices an added item and records the milestone shift', () => {
    // 6 h x 19,500 = 117,000
    const item = {
      ref: 'SI-4',
      title: 'Conditional access baseline',
      role: 'architect',
      centiHours: 600,
      fixedCost: 0,
      rate: 19_500,
      cost: 117_000,
    };
    given(logged)
      .when(assess([ADD_CONDITIONAL_ACCESS], { schedule: [{ milestone: 'M2', workingDays: 2 }] }))
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [{ op: 'add', ref: 'SI-4', item, costDelta: 117_000, centiHoursDelta: 600 }],
          schedule: [{ milestone: 'M2', workingDays: 2 }],
          noCharge: false,
          costDelta: 117_000,
          assessedAt: ASSESSED_AT,
        }),
      ]);
  });

  it('prices an added item with a fixed cost', () => {
    // 1 h x 15,000 + 50,000 licences = 65,000
    const item = {
      ref: 'SI-6',
      title: 'Backup agent licences',
      role: 'engineer',
      centiHours: 100,
      fixedCost: 50_000,
      rate: 15_000,
      cost: 65_000,
    };
    given(logged)
      .when(
        assess([
          { op: 'add', ref: 'SI-6', title: 'Backup agent licences', role: 'engineer', hours: 1, fixedCost: 50_000 },
        ]),
      )
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [{ op: 'add', ref: 'SI-6', item, costDelta: 65_000, centiHoursDelta: 100 }],
          schedule: [],
          noCharge: false,
          costDelta: 65_000,
          assessedAt: ASSESSED_AT,
        }),
      ]);
  });

  it('prices a modified item against the current item', () => {
    // after: 48.25 h x 9,550 = 460,787.50 -> 460,788; before 382,000; delta 78,788 and 48.25 - 40 = 8.25 h
    const after = { ...SI_1, title: 'Migrate 120 mailboxes and 40 shared mailboxes', centiHours: 4825, cost: 460_788 };
    given(logged)
      .when(
        assess([{ op: 'modify', ref: 'SI-1', title: 'Migrate 120 mailboxes and 40 shared mailboxes', hours: 48.25 }]),
      )
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [{ op: 'modify', ref: 'SI-1', item: after, before: SI_1, costDelta: 78_788, centiHoursDelta: 825 }],
          schedule: [],
          noCharge: false,
          costDelta: 78_788,
          assessedAt: ASSESSED_AT,
        }),
      ]);
  });

  it('prices a change of role at the new role rate, keeping the hours', () => {
    // 12.5 h x 19,500 = 243,750; before 12.5 h x 15,000 = 187,500; delta 56,250, hours unchanged
    const after = { ...SI_2, role: 'architect', rate: 19_500, cost: 243_750 };
    given(logged)
      .when(assess([{ op: 'modify', ref: 'SI-2', role: 'architect' }]))
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [{ op: 'modify', ref: 'SI-2', item: after, before: SI_2, costDelta: 56_250, centiHoursDelta: 0 }],
          schedule: [],
          noCharge: false,
          costDelta: 56_250,
          assessedAt: ASSESSED_AT,
        }),
      ]);
  });

  it('credits a removed item with its whole cost, and totals several lines', () => {
    // add SI-4 +117,000; remove SI-3 -180,000 (4 h x 15,000 + 120,000); total -63,000
    const added = {
      ref: 'SI-4',
      title: 'Conditional access baseline',
      role: 'architect',
      centiHours: 600,
      fixedCost: 0,
      rate: 19_500,
      cost: 117_000,
    };
    given(logged)
      .when(
        assess([ADD_CONDITIONAL_ACCESS, { op: 'remove', ref: 'SI-3' }], {
          notes: 'Client bought a cloud backup service instead',
        }),
      )
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [
            { op: 'add', ref: 'SI-4', item: added, costDelta: 117_000, centiHoursDelta: 600 },
            { op: 'remove', ref: 'SI-3', item: SI_3, before: SI_3, costDelta: -180_000, centiHoursDelta: -400 },
          ],
          schedule: [],
          notes: 'Client bought a cloud backup service instead',
          noCharge: false,
          costDelta: -63_000,
          assessedAt: ASSESSED_AT,
        }),
      ]);
  });

  it('records a schedule-only change with no cost', () => {
    given(logged)
      .when(assess([], { schedule: [{ milestone: 'M3', workingDays: -1 }] }))
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [],
          schedule: [{ milestone: 'M3', workingDays: -1 }],
          noCharge: false,
          costDelta: 0,
          assessedAt: ASSESSED_AT,
        }),
      ]);
  });

  it('keeps the full cost of a no-charge request, so the absorbed cost can be tracked', () => {
    // 1.5 h x 9,550 = 14,325
    const item = {
      ref: 'SI-5',
      title: 'Printer driver clean-up',
      role: 'technician',
      centiHours: 150,
      fixedCost: 0,
      rate: 9_550,
      cost: 14_325,
    };
    given(logged)
      .when(
        assess([{ op: 'add', ref: 'SI-5', title: 'Printer driver clean-up', role: 'technician', hours: 1.5 }], {
          noCharge: true,
        }),
      )
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [{ op: 'add', ref: 'SI-5', item, costDelta: 14_325, centiHoursDelta: 150 }],
          schedule: [],
          noCharge: true,
          costDelta: 14_325,
          assessedAt: ASSESSED_AT,
        }),
      ]);
  });

  it('may be done again while the request is not on a live order', () => {
    given([...logged, requestAssessed(CR_1, [REMOVE_SI_3])])
      .when(assess([], { schedule: [{ milestone: 'M1', workingDays: 1 }] }))
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [],
          schedule: [{ milestone: 'M1', workingDays: 1 }],
          noCharge: false,
          costDelta: 0,
          assessedAt: ASSESSED_AT,
        }),
      ]);
  });

  it('may be done again once the order carrying the request is voided', () => {
    given([...withDraftOrder, orderVoided(CO_1, 'Revising the price')])
      .when(assess([], { schedule: [{ milestone: 'M2', workingDays: 3 }] }))
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [],
          schedule: [{ milestone: 'M2', workingDays: 3 }],
          noCharge: false,
          costDelta: 0,
          assessedAt: ASSESSED_AT,
        }),
      ]);
  });

  it('can add back an item that a signed order removed', () => {
    const removedBySignedOrder: ProjectEvent[] = [
      ...baselined,
      requestLogged(CR_3, 1),
      requestAssessed(CR_3, [REMOVE_SI_3]),
      orderDrafted(CO_1, 1, [CR_3], [onOrder(REMOVE_SI_3, CR_3, 1)], { amount: -180_000 }),
      orderIssued(CO_1, { originalContract: 749_500, previouslyApproved: 0 }),
      orderSigned(CO_1),
      cardCancelled('C-3', CO_1),
      requestLogged(CR_1, 2),
    ];
    // 4 h x 15,000 + 120,000 = 180,000, the same as before it was removed
    given(removedBySignedOrder)
      .when(
        assess([
          { op: 'add', ref: 'SI-3', title: 'Install backup appliance', role: 'engineer', hours: 4, fixedCost: 120_000 },
        ]),
      )
      .then([
        event('ChangeRequestAssessed', {
          changeRequestId: CR_1,
          lines: [{ op: 'add', ref: 'SI-3', item: SI_3, costDelta: 180_000, centiHoursDelta: 400 }],
          schedule: [],
          noCharge: false,
          costDelta: 180_000,
          assessedAt: ASSESSED_AT,
        }),
      ]);
    given(removedBySignedOrder)
      .when(assess([{ op: 'modify', ref: 'SI-3', hours: 5 }]))
      .thenThrows('invalid', 'SI-3 is not in the current scope', 'lines[0].ref');
  });

  describe('is refused', () => {
    it('for a request that does not exist', () => {
      given(baselined)
        .when(assess([ADD_CONDITIONAL_ACCESS]))
        .thenThrows('not_found', `Change request ${CR_1} not found`);
    });

    it('before the baseline is established', () => {
      given([projectOpened, requestLogged(CR_1, 1)])
        .when(assess([ADD_CONDITIONAL_ACCESS]))
        .thenThrows('conflict', 'Establish the baseline');
    });

    it('with neither scope lines nor schedule shifts', () => {
      given(logged).when(assess([])).thenThrows('invalid', 'at least one scope line or schedule shift', 'lines');
    });

    it('when adding an item that is already in scope', () => {
      given(logged)
        .when(assess([{ ...ADD_CONDITIONAL_ACCESS, ref: 'SI-2' }]))
        .thenThrows('invalid', 'SI-2 already exists; use modify', 'lines[0].ref');
    });

    it('when an added item has no title', () => {
      given(logged)
        .when(assess([{ ...ADD_CONDITIONAL_ACCESS, title: '' }]))
        .thenThrows('invalid', 'needs a title', 'lines[0].title');
    });

    it('when an added item has no role', () => {
      given(logged)
        .when(assess([{ ...ADD_CONDITIONAL_ACCESS, role: undefined }]))
        .thenThrows('invalid', 'needs a role', 'lines[0].role');
    });

    it('when an added item has neither hours nor a fixed cost', () => {
      given(logged)
        .when(assess([{ ...ADD_CONDITIONAL_ACCESS, hours: undefined }]))
        .thenThrows('invalid', 'needs hours or a fixed cost', 'lines[0].hours');
    });

    it('when an added item has a role missing from the rate card', () => {
      given(logged)
        .when(assess([{ ...ADD_CONDITIONAL_ACCESS, role: 'consultant' }]))
        .thenThrows('invalid', 'Role consultant', 'lines[0].role');
    });

    it('when hours have three decimals', () => {
      given(logged)
        .when(assess([{ ...ADD_CONDITIONAL_ACCESS, hours: 6.125 }]))
        .thenThrows('invalid', 'at most two decimals', 'lines[0].hours');
    });

    it('when a fixed cost has a fraction of a cent', () => {
      given(logged)
        .when(assess([{ ...ADD_CONDITIONAL_ACCESS, fixedCost: 99.9 }]))
        .thenThrows('invalid', 'whole number of minor units', 'lines[0].fixedCost');
    });

    it('when modifying an item that is not in scope', () => {
      given(logged)
        .when(assess([{ op: 'modify', ref: 'SI-9', hours: 2 }]))
        .thenThrows('invalid', 'SI-9 is not in the current scope', 'lines[0].ref');
    });

    it('when a modification changes nothing', () => {
      given(logged)
        .when(assess([{ op: 'modify', ref: 'SI-1' }]))
        .thenThrows('invalid', 'Say what changes', 'lines[0]');
    });

    it('when removing an item that is not in scope', () => {
      given(logged)
        .when(assess([{ op: 'remove', ref: 'SI-9' }]))
        .thenThrows('invalid', 'SI-9 is not in the current scope', 'lines[0].ref');
    });

    it('when a removal carries more than the ref', () => {
      given(logged)
        .when(assess([{ op: 'remove', ref: 'SI-3', hours: 4 }]))
        .thenThrows('invalid', 'names only the scope item ref', 'lines[0]');
    });

    it('when one item appears on two lines', () => {
      given(logged)
        .when(
          assess([
            { op: 'modify', ref: 'SI-1', hours: 41 },
            { op: 'remove', ref: 'SI-1' },
          ]),
        )
        .thenThrows('invalid', 'SI-1 appears twice', 'lines[1].ref');
    });

    it('for an operation other than add, modify or remove', () => {
      given(logged)
        .when(assess([{ op: 'replace' as 'add', ref: 'SI-1', hours: 41 }]))
        .thenThrows('invalid', 'op must be add, modify or remove', 'lines[0].op');
    });

    it('for a milestone that is not in the baseline', () => {
      given(logged)
        .when(assess([], { schedule: [{ milestone: 'M9', workingDays: 2 }] }))
        .thenThrows('invalid', 'M9 is not in the baseline', 'schedule[0].milestone');
    });

    it('when one milestone is shifted twice', () => {
      given(logged)
        .when(
          assess([], {
            schedule: [
              { milestone: 'M2', workingDays: 2 },
              { milestone: 'M2', workingDays: 1 },
            ],
          }),
        )
        .thenThrows('invalid', 'M2 appears twice', 'schedule[1].milestone');
    });

    it('when a milestone would move before the project starts', () => {
      // M1 is due Friday 13 March; the project starts Monday 2 March, nine working days before.
      given(logged)
        .when(assess([], { schedule: [{ milestone: 'M1', workingDays: -10 }] }))
        .thenThrows(
          'invalid',
          'M1 would move to 2026-02-27, before the project starts on 2026-03-02',
          'schedule[0].workingDays',
        );
      given(logged)
        .when(assess([], { schedule: [{ milestone: 'M1', workingDays: -9 }] }))
        .then([expect.objectContaining({ type: 'ChangeRequestAssessed' })]);
    });

    it.each([0, 1.5, 261, -261])('for a shift of %p working days', (workingDays) => {
      given(logged)
        .when(assess([], { schedule: [{ milestone: 'M2', workingDays }] }))
        .thenThrows('invalid', 'whole number from -260 to 260, not zero', 'schedule[0].workingDays');
    });

    it('while the request sits on a draft order', () => {
      given(withDraftOrder)
        .when(assess([ADD_CONDITIONAL_ACCESS]))
        .thenThrows('conflict', 'CR-1 sits on CO-1 (draft); void that order');
    });

    it('while the request sits on an issued order', () => {
      given(withIssuedOrder)
        .when(assess([ADD_CONDITIONAL_ACCESS]))
        .thenThrows('conflict', 'CR-1 sits on CO-1 (issued)');
    });

    it('once the request is approved on a signed order', () => {
      given(withSignedOrder)
        .when(assess([ADD_CONDITIONAL_ACCESS]))
        .thenThrows('conflict', 'CR-1 is approved on a signed order and final');
    });

    it('once the request is declined', () => {
      given([...logged, requestDeclined(CR_1, 'Covered by warranty', 'warranty')])
        .when(assess([ADD_CONDITIONAL_ACCESS]))
        .thenThrows('conflict', 'CR-1 was declined and cannot be assessed');
    });
  });
});
