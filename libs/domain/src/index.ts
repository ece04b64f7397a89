export * from './shared/money';
export * from './shared/calendar';
export * from './shared/domain-error';
export * from './project/events';
export * from './project/commands';
export * from './project/state';
export * from './project/decide';
export * from './project/targets';
