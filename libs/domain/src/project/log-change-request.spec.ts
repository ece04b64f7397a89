import { ProjectCommand } from './commands';
import { event, ProjectEventMap } from './events';
import { given } from '../testing/decider-specification';
import { baselined, CR_1, CR_2, projectOpened, REQUESTER, requestLogged } from '../testing/project.fixture';

const NOW = '2026-03-03T10:00:00.000Z';

const logChangeRequest = (
  changes: Partial<Extract<ProjectCommand, { type: 'LogChangeRequest' }>> = {},
): ProjectCommand => ({
  type: 'LogChangeRequest',
  now: NOW,
  changeRequestId: CR_1,
  title: 'Add conditional access',
  description: 'Block sign-ins from outside the EU',
  source: 'phone',
  requestedBy: REQUESTER,
  ...changes,
});

const logged = (changes: Partial<ProjectEventMap['ChangeRequestLogged']> = {}) =>
  event('ChangeRequestLogged', {
    changeRequestId: CR_1,
    number: 1,
    title: 'Add conditional access',
    description: 'Block sign-ins from outside the EU',
    source: 'phone',
    requestedBy: REQUESTER,
    receivedAt: NOW,
    loggedAt: NOW,
    ...changes,
  });

describe('logging a change request', () => {
  it('numbers the first request CR-1 and takes now as the time it was received and logged', () => {
    given(baselined).when(logChangeRequest()).then([logged()]);
  });

  it('numbers the next request CR-2', () => {
    given([...baselined, requestLogged(CR_1, 1)])
      .when(logChangeRequest({ changeRequestId: CR_2 }))
      .then([logged({ changeRequestId: CR_2, number: 2 })]);
  });

  it('keeps when the request really arrived, in UTC, apart from when it was logged, and its ticket reference', () => {
    given(baselined)
      .when(logChangeRequest({ receivedAt: '2026-03-02T17:45:00+01:00', ticketRef: 'PSA-4411' }))
      .then([logged({ receivedAt: '2026-03-02T16:45:00.000Z', ticketRef: 'PSA-4411' })]);
  });

  it('can be logged before the baseline is set', () => {
    given([projectOpened]).when(logChangeRequest()).then([logged()]);
  });

  it('allows a few minutes of clock difference', () => {
    given(baselined)
      .when(logChangeRequest({ receivedAt: '2026-03-03T10:04:00.000Z' }))
      .then([logged({ receivedAt: '2026-03-03T10:04:00.000Z' })]);
  });

  it('is refused when the request would be received in the future', () => {
    given(baselined)
      .when(logChangeRequest({ receivedAt: '2026-03-03T10:06:00.000Z' }))
      .thenThrows('invalid', 'received in the future', 'receivedAt');
  });

  it('is refused when the received time is not a date', () => {
    given(baselined)
      .when(logChangeRequest({ receivedAt: 'yesterday afternoon' }))
      .thenThrows('invalid', 'date and time', 'receivedAt');
  });

  it('is refused when a request with the same id exists', () => {
    given([...baselined, requestLogged(CR_1, 1)])
      .when(logChangeRequest())
      .thenThrows('conflict', 'already exists');
  });
});
