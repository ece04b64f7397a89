import { WorkingCalendar } from '../../../domain/src/shared/calendar';
import { lineCost, sumMinor } from '../../../domain/src/shared/money';
import { twentyLineOrder } from './change-order.fixture';

// The PDF tests look for these hand-worked figures; this keeps them honest.
describe('the 20-line change order used by the document tests', () => {
  const model = twentyLineOrder();

  it('prices every line by the line cost rule, no-charge lines at zero', () => {
    for (const line of model.lines) {
      expect(line.noCharge ? 0 : lineCost(line.centiHours, line.rate, line.fixedCost)).toBe(line.amount);
    }
  });

  it('adds up to the order total, and the absorbed cost to what the no-charge lines would have cost', () => {
    expect(sumMinor(model.lines.map((line) => line.amount))).toBe(model.price.thisOrder);
    const absorbed = model.lines
      .filter((line) => line.noCharge)
      .map((line) => lineCost(line.centiHours, line.rate, line.fixedCost));
    expect(sumMinor(absorbed)).toBe(model.price.absorbed);
    const { originalContract, previouslyApproved, contractBefore, thisOrder, newContractTotal } = model.price;
    expect(originalContract + previouslyApproved).toBe(contractBefore);
    expect(contractBefore + thisOrder).toBe(newContractTotal);
  });

  it('moves each milestone by its working days, from its date before this order', () => {
    const calendar = new WorkingCalendar();
    for (const shift of model.schedule)
      expect(calendar.addWorkingDays(shift.dueBefore, shift.workingDays)).toBe(shift.newDue);
  });
});
