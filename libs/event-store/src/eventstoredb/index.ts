export { createEventStoreDbEventStore, type ConnectOptions } from './create-eventstoredb-event-store';
export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb-event-store';
export type { SubscriptionLogger } from './catch-up-subscription';
