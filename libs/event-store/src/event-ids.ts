import { v7 } from 'uuid';

/** A time-ordered UUID (version 7): inserts land on the right edge of the `event_id` index. */
export function newEventId(): string {
  return v7();
}
