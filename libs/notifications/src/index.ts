export * from './change-order-emails';
export * from './html';
export * from './notifications';
export * from './notifications.migrations';
export * from './outbox';
export * from './outbox-reactor';
export * from './outbox-sender';
export * from './reminder-scheduler';
