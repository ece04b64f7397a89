export * from './platform';
export * from './data-folder-lock';
