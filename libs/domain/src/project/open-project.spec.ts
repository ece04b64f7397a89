import { ProjectCommand } from './commands';
import { event } from './events';
import { given } from '../testing/decider-specification';
import { CLIENT, OPENED_AT, PROJECT_ID, projectOpened, RATES } from '../testing/project.fixture';

const openProject = (changes: Partial<Extract<ProjectCommand, { type: 'OpenProject' }>> = {}): ProjectCommand => ({
  type: 'OpenProject',
  now: OPENED_AT,
  projectId: PROJECT_ID,
  name: 'Microsoft 365 migration',
  client: CLIENT,
  currency: 'USD',
  rates: RATES,
  startDate: '2026-03-02',
  holidays: ['2026-04-03'],
  ...changes,
});

describe('opening a project', () => {
  it('records the client, currency, rate card, start date, holidays and when it was opened', () => {
    given([]).when(openProject()).then([projectOpened]);
  });

  it('keeps each holiday once, in date order', () => {
    given([])
      .when(openProject({ holidays: ['2026-12-25', '2026-04-03', '2026-12-25'] }))
      .then([event('ProjectOpened', { ...projectOpened.data, holidays: ['2026-04-03', '2026-12-25'] })]);
  });

  it('records the project manager who hears about signatures, when named', () => {
    const manager = { name: 'Sam Okafor', email: 'sam.okafor@northwind-it.example' };
    const after = given([])
      .when(openProject({ manager }))
      .then([event('ProjectOpened', { ...projectOpened.data, manager })]);
    expect(after.manager).toEqual(manager);
  });

  it("records the project's time zone when named, and the project's today follows it", () => {
    const after = given([])
      .when(openProject({ timeZone: 'Pacific/Auckland' }))
      .then([event('ProjectOpened', { ...projectOpened.data, timeZone: 'Pacific/Auckland' })]);
    expect(after.timeZone).toBe('Pacific/Auckland');
  });

  it('stores the time zone as the zone database spells it, however it was typed', () => {
    given([])
      .when(openProject({ timeZone: 'europe/berlin' }))
      .then([event('ProjectOpened', { ...projectOpened.data, timeZone: 'Europe/Berlin' })]);
    given([])
      .when(openProject({ timeZone: 'utc' }))
      .then([event('ProjectOpened', { ...projectOpened.data, timeZone: 'UTC' })]);
  });

  it.each(['Mars/Olympus', 'UTC+2', ''])('is refused for the time zone %p', (timeZone) => {
    given([]).when(openProject({ timeZone })).thenThrows('invalid', 'IANA', 'timeZone');
  });

  it('accepts a rate of zero for a role done free of charge', () => {
    given([])
      .when(openProject({ rates: { engineer: 15_000, trainee: 0 } }))
      .then([event('ProjectOpened', { ...projectOpened.data, rates: { engineer: 15_000, trainee: 0 } })]);
  });

  it('is refused when the project already exists', () => {
    given([projectOpened]).when(openProject()).thenThrows('conflict', 'already exists');
  });

  it.each(['usd', 'US', 'USDX', '840', 'XYZ', 'ZZZ', 'XXX', 'XTS'])('is refused for the currency %p', (currency) => {
    given([]).when(openProject({ currency })).thenThrows('invalid', 'ISO 4217', 'currency');
  });

  it('is refused with an empty rate card', () => {
    given([])
      .when(openProject({ rates: {} }))
      .thenThrows('invalid', 'at least one role', 'rates');
  });

  it('is refused for a role without a name', () => {
    given([])
      .when(openProject({ rates: { ' ': 15_000 } }))
      .thenThrows('invalid', 'must not be empty', 'rates');
  });

  it('is refused for a negative rate', () => {
    given([])
      .when(openProject({ rates: { engineer: 15_000, technician: -1 } }))
      .thenThrows('invalid', 'Rate for technician', 'rates.technician');
  });

  it('is refused for a rate with a fraction of a cent', () => {
    given([])
      .when(openProject({ rates: { engineer: 150.5 } }))
      .thenThrows('invalid', 'whole number of minor units', 'rates.engineer');
  });

  it.each(['2026-02-30', '02/03/2026', '2026-03-02T00:00:00Z'])('is refused for the start date %p', (startDate) => {
    given([]).when(openProject({ startDate })).thenThrows('invalid', 'Start date', 'startDate');
  });

  it('is refused for a holiday that is not a calendar date, naming which one', () => {
    given([])
      .when(openProject({ holidays: ['2026-04-03', '2026-13-01'] }))
      .thenThrows('invalid', 'Holidays must be calendar dates', 'holidays[1]');
  });
});

describe('every other command on a project that was never opened', () => {
  it('is refused as not found', () => {
    given([])
      .when({
        type: 'LogChangeRequest',
        now: '2026-03-02T08:00:00.000Z',
        changeRequestId: 'x',
        title: 't',
        description: 'd',
        source: 'email',
        requestedBy: CLIENT,
      })
      .thenThrows('not_found', 'Project not found');
  });
});
