export * from './capacity';
export * from './planning-input';
export * from './what-if';
