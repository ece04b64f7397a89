export * from './compare-views';
export * from './event-processor';
export type { PortfolioRow } from './portfolio-projector';
export * from './project-event-handler';
export * from './project-events';
export * from './project-views';
export * from './read-model';
export { PROJECT_TABLES, projectHeaderFromDoc } from './record-tables';
export type { AppliedChange } from './record-tables';
