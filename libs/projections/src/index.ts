export * from './project-views';
export * from './project-events';
export * from './project-read-model';
export * from './projection-runner';
export * from './read-model-queries';
export * from './read-model.migrations';
export * from './compare-views';
