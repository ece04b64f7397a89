export * from './event-store.port';
export * from './postgres/sql-client';
export * from './postgres/pg-client';
export * from './postgres/pglite-client';
export * from './postgres/migrations';
export * from './postgres/postgres-event-store';
export * from './tamper-evidence';
export * from './eventstoredb';
