import { ProjectCommand } from './commands';
import { event } from './events';
import { given } from '../testing/decider-specification';
import {
  assessed,
  baselined,
  CR_1,
  CR_3,
  requestDeclined,
  requestLogged,
  withDraftOrder,
  withIssuedOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const AMENDED_AT = '2026-03-05T11:00:00.000Z';

const amend = (changeRequestId: string, change: { title?: string; description?: string }): ProjectCommand => ({
  type: 'AmendChangeRequest',
  now: AMENDED_AT,
  changeRequestId,
  ...change,
});

describe('amending a change request', () => {
  it('corrects the title of a logged request and keeps its description', () => {
    const state = given([...baselined, requestLogged(CR_1, 1, 'Shared mailbox')])
      .when(amend(CR_1, { title: '  Shared mailbox for payroll  ' }))
      .then([
        event('ChangeRequestAmended', {
          changeRequestId: CR_1,
          title: 'Shared mailbox for payroll',
          description: 'Shared mailbox, asked for by email',
          amendedAt: AMENDED_AT,
        }),
      ]);
    expect(state.changeRequests.get(CR_1)).toMatchObject({ title: 'Shared mailbox for payroll', status: 'logged' });
  });

  it('corrects the description of an assessed request, which stays assessed', () => {
    const state = given(assessed)
      .when(amend(CR_3, { description: 'Asked for in the weekly call, not by email' }))
      .then([
        expect.objectContaining({
          type: 'ChangeRequestAmended',
          data: expect.objectContaining({ description: 'Asked for in the weekly call, not by email' }),
        }),
      ]);
    expect(state.changeRequests.get(CR_3)!.status).toBe('assessed');
    expect(state.changeRequests.get(CR_3)!.assessment).toBeDefined();
  });

  it('is refused when nothing changes, or the title would be empty', () => {
    const logged = [...baselined, requestLogged(CR_1, 1, 'Shared mailbox')];
    given(logged).when(amend(CR_1, {})).thenThrows('invalid', 'Say what changes', 'title');
    given(logged)
      .when(amend(CR_1, { title: 'Shared mailbox' }))
      .thenThrows('invalid', 'Say what changes');
    given(logged)
      .when(amend(CR_1, { title: '   ' }))
      .thenThrows('invalid', 'needs a title', 'title');
  });

  it('corrects a request on a draft order, which stays on the draft', () => {
    const state = given(withDraftOrder)
      .when(amend(CR_1, { title: 'Shared mailbox for payroll' }))
      .then([expect.objectContaining({ type: 'ChangeRequestAmended' })]);
    expect(state.changeRequests.get(CR_1)).toMatchObject({ title: 'Shared mailbox for payroll', status: 'ordered' });
  });

  it('is refused once the request is on an issued order, signed, or declined', () => {
    given(withIssuedOrder)
      .when(amend(CR_1, { title: 'Other' }))
      .thenThrows('conflict', 'CR-1 sits on CO-1 (issued); void that order before it can be amended');
    given(withSignedOrder)
      .when(amend(CR_1, { title: 'Other' }))
      .thenThrows('conflict', 'approved on a signed order');
    given([...baselined, requestLogged(CR_1, 1), requestDeclined(CR_1, 'No', 'other')])
      .when(amend(CR_1, { title: 'Other' }))
      .thenThrows('conflict', 'CR-1 was declined and cannot be amended');
  });

  it('is refused for a request that does not exist', () => {
    given(baselined)
      .when(amend(CR_1, { title: 'Other' }))
      .thenThrows('not_found');
  });
});
