export * from './events';
export * from './state';
export * from './commands';
export * from './decide';
export * from './brand-colour';
