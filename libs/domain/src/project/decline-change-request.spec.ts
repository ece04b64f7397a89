import { ProjectCommand } from './commands';
import { DeclineCategory, event } from './events';
import { given } from '../testing/decider-specification';
import {
  assessed,
  baselined,
  CR_1,
  CR_3,
  REQUEST_DECLINED_AT,
  requestDeclined,
  requestLogged,
  withDraftOrder,
  withSignedOrder,
} from '../testing/project.fixture';

const decline = (
  changeRequestId: string,
  reason = 'Already covered by the SI-2 warranty',
  category: DeclineCategory = 'warranty',
): ProjectCommand => ({ type: 'DeclineChangeRequest', now: REQUEST_DECLINED_AT, changeRequestId, reason, category });

describe('declining a change request', () => {
  it('records the reason, its category and when, for a logged request', () => {
    given([...baselined, requestLogged(CR_1, 1)])
      .when(decline(CR_1))
      .then([
        event('ChangeRequestDeclined', {
          changeRequestId: CR_1,
          reason: 'Already covered by the SI-2 warranty',
          category: 'warranty',
          declinedAt: REQUEST_DECLINED_AT,
        }),
      ]);
  });

  it('is possible after the request was assessed', () => {
    given(assessed)
      .when(decline(CR_3, 'Raised twice', 'duplicate'))
      .then([requestDeclined(CR_3, 'Raised twice', 'duplicate')]);
  });

  it('is refused without a reason', () => {
    given(assessed).when(decline(CR_3, '   ')).thenThrows('invalid', 'Say why', 'reason');
  });

  it('is refused for a request that does not exist', () => {
    given(baselined).when(decline(CR_1)).thenThrows('not_found');
  });

  it('is refused for a request already declined', () => {
    given([...baselined, requestLogged(CR_1, 1), requestDeclined(CR_1, 'No', 'other')])
      .when(decline(CR_1))
      .thenThrows('conflict', 'CR-1 was declined and cannot be declined');
  });

  it('is refused while the request sits on a live order', () => {
    given(withDraftOrder)
      .when(decline(CR_1))
      .thenThrows('conflict', 'CR-1 sits on CO-1 (draft); void that order before it can be declined');
  });

  it('is refused once the request is approved on a signed order', () => {
    given(withSignedOrder).when(decline(CR_1)).thenThrows('conflict', 'approved on a signed order and final');
  });
});
