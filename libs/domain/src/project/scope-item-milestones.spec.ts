import { AssessmentLineInput, BaselineItemInput, ProjectCommand } from './commands';
import { event, PricedScopeItem, ProjectEvent, ScopeChangeLine } from './events';
import { given, stateAfter } from '../testing/decider-specification';
import {
  ADD_SI_4,
  ASSESSED_AT,
  BASELINE_TOTAL,
  baselined,
  cardAdded,
  CO_1,
  co1ReadToSign,
  CR_1,
  DOCUMENT_SHA256,
  ESTABLISHED_AT,
  M1,
  M2,
  M3,
  onOrder,
  orderDrafted,
  orderIssued,
  orderSigned,
  projectOpened,
  requestAssessed,
  requestLogged,
  SI_1,
  SI_1_WITH_SHARED_MAILBOXES,
  SI_2,
  SI_3,
  SI_4,
  SIGNED_AT,
  SIGNED_DOCUMENT_SHA256,
} from '../testing/project.fixture';

/** The same migration as the fixture, with SI-1 due by the pilot (M1) and SI-2 by M2; SI-3 names no milestone. */
const SI_1_BY_M1: PricedScopeItem = { ...SI_1, milestone: 'M1' };
const SI_2_BY_M2: PricedScopeItem = { ...SI_2, milestone: 'M2' };
const withMilestones: ProjectEvent[] = [
  projectOpened,
  event('BaselineEstablished', {
    items: [SI_1_BY_M1, SI_2_BY_M2, SI_3],
    milestones: [M1, M2, M3],
    total: BASELINE_TOTAL,
    establishedAt: ESTABLISHED_AT,
  }),
  cardAdded(1, SI_1_BY_M1),
  cardAdded(2, SI_2_BY_M2),
  cardAdded(3, SI_3),
  requestLogged(CR_1, 1),
];

const ITEMS: BaselineItemInput[] = [
  { ref: 'SI-1', title: 'Migrate 120 mailboxes', role: 'technician', hours: 40, milestone: 'M1' },
  { ref: 'SI-2', title: 'Configure Intune enrolment', role: 'engineer', hours: 12.5, milestone: 'M2' },
  { ref: 'SI-3', title: 'Install backup appliance', role: 'engineer', hours: 4, fixedCost: 120_000 },
];
const establish = (items: BaselineItemInput[] = ITEMS): ProjectCommand => ({
  type: 'EstablishBaseline',
  now: ESTABLISHED_AT,
  items,
  milestones: [M1, M2, M3],
});
const assess = (lines: AssessmentLineInput[]): ProjectCommand => ({
  type: 'AssessChangeRequest',
  now: ASSESSED_AT,
  changeRequestId: CR_1,
  lines,
  schedule: [],
  noCharge: false,
});
const modify = (before: PricedScopeItem, item: PricedScopeItem): ScopeChangeLine => ({
  op: 'modify',
  ref: before.ref,
  item,
  before,
  costDelta: item.cost - before.cost,
  centiHoursDelta: item.centiHours - before.centiHours,
});

describe('the milestone a scope item is due by', () => {
  it('is kept on the baseline item and on the card the baseline puts on the board', () => {
    const state = given([projectOpened])
      .when(establish())
      .then([
        event('BaselineEstablished', {
          items: [SI_1_BY_M1, SI_2_BY_M2, SI_3],
          milestones: [M1, M2, M3],
          total: BASELINE_TOTAL,
          establishedAt: ESTABLISHED_AT,
        }),
        cardAdded(1, SI_1_BY_M1),
        cardAdded(2, SI_2_BY_M2),
        cardAdded(3, SI_3),
      ]);
    expect(state.cards.get('C-1')!.milestone).toBe('M1');
    expect(state.cards.get('C-3')!.milestone).toBeUndefined();
    expect(state.scope.get('SI-2')!.milestone).toBe('M2');
  });

  it('is refused on the baseline when the baseline has no such milestone, naming the item', () => {
    given([projectOpened])
      .when(establish([ITEMS[0], { ...ITEMS[1], milestone: 'M9' }]))
      .thenThrows('invalid', "Milestone M9 is not one of the project's milestones", 'items[1].milestone');
  });

  it('is kept on an added item when assessed', () => {
    given([...baselined, requestLogged(CR_1, 1)])
      .when(assess([{ op: 'add', ref: 'SI-4', title: SI_4.title, role: 'architect', hours: 6, milestone: 'M2' }]))
      .then([requestAssessed(CR_1, [{ ...ADD_SI_4, item: { ...SI_4, milestone: 'M2' } }])]);
  });

  it('is refused on an assessment line naming a milestone the project does not have', () => {
    given([...baselined, requestLogged(CR_1, 1)])
      .when(
        assess([
          { op: 'modify', ref: 'SI-2', hours: 14 },
          { op: 'add', ref: 'SI-4', title: SI_4.title, role: 'architect', hours: 6, milestone: 'M4' },
        ]),
      )
      .thenThrows('invalid', 'Milestone M4', 'lines[1].milestone');
  });

  it('is changed by a modify line that names only a milestone: no price or hours change', () => {
    given(withMilestones)
      .when(assess([{ op: 'modify', ref: 'SI-1', milestone: 'M2' }]))
      .then([requestAssessed(CR_1, [modify(SI_1_BY_M1, { ...SI_1, milestone: 'M2' })])]);
  });

  it('stays as it was on a modify line that leaves it out, and goes with null', () => {
    // SI-1: 48.25 h x 9,550 = 460,787.50, half up 460,788 (kept on M1); SI-2 loses M2, 12.5 h unchanged
    given(withMilestones)
      .when(
        assess([
          { op: 'modify', ref: 'SI-1', title: SI_1_WITH_SHARED_MAILBOXES.title, hours: 48.25 },
          { op: 'modify', ref: 'SI-2', milestone: null },
        ]),
      )
      .then([
        requestAssessed(CR_1, [
          modify(SI_1_BY_M1, { ...SI_1_WITH_SHARED_MAILBOXES, milestone: 'M1' }),
          modify(SI_2_BY_M2, SI_2),
        ]),
      ]);
  });

  it('is refused on a removal, which names only the item', () => {
    given(withMilestones)
      .when(assess([{ op: 'remove', ref: 'SI-3', milestone: 'M1' }]))
      .thenThrows('invalid', 'A removal names only the scope item ref', 'lines[0]');
  });

  it('moves the card when the order that changes it is signed', () => {
    // CO-1: SI-1 to 48.25 h (+78,788) and from M1 to M3
    const line = modify(SI_1_BY_M1, { ...SI_1_WITH_SHARED_MAILBOXES, milestone: 'M3' });
    const ready: ProjectEvent[] = [
      ...withMilestones,
      requestAssessed(CR_1, [line]),
      orderDrafted(CO_1, 1, [CR_1], [onOrder(line, CR_1, 1)], { amount: 78_788 }),
      orderIssued(CO_1, { originalContract: BASELINE_TOTAL, previouslyApproved: 0 }),
      ...co1ReadToSign,
    ];
    const state = given(ready)
      .when({
        type: 'SignChangeOrder',
        now: SIGNED_AT,
        changeOrderId: CO_1,
        name: 'Priya Raman',
        consent: true,
        documentSha256: DOCUMENT_SHA256,
        signature: 'typed',
        signedDocumentSha256: SIGNED_DOCUMENT_SHA256,
        consentVersion: 'esign-consent-1',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
      })
      .then([
        orderSigned(CO_1),
        event('BoardCardEstimateRevised', {
          cardId: 'C-1',
          title: SI_1_WITH_SHARED_MAILBOXES.title,
          role: 'technician',
          estimateCentiHours: 4825,
          milestone: 'M3',
          changeOrderId: CO_1,
          revisedAt: SIGNED_AT,
        }),
      ]);
    expect(state.cards.get('C-1')!.milestone).toBe('M3');
    expect(state.scope.get('SI-1')!.milestone).toBe('M3');
  });

  it('is absent from cards of events written before items had milestones, and a revision without one clears it', () => {
    const state = stateAfter([
      ...withMilestones,
      event('BoardCardEstimateRevised', {
        cardId: 'C-1',
        title: SI_1.title,
        role: 'technician',
        estimateCentiHours: 4000,
        changeOrderId: CO_1,
        revisedAt: SIGNED_AT,
      }),
    ]);
    expect(state.cards.get('C-1')!.milestone).toBeUndefined();
    expect(stateAfter(baselined).cards.get('C-2')).not.toHaveProperty('milestone');
  });
});
