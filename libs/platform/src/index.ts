export * from './platform';
export * from './data-folder-lock';
export * from './project-repository';
export * from './signing-token';
