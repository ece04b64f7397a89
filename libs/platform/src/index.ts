export * from './platform';
export * from './data-folder-lock';
export * from './project-commands';
export * from './catalogue-commands';
export * from './signing-token';
export * from './event-log';
export * from './audit-trail';
