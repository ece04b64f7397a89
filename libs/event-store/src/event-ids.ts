import { v7 } from 'uuid';

/**
 * A new event's id: a time-ordered UUID (version 7, RFC 9562). Ids minted one after another
 * sort one after another, so each insert into the log's unique index on `event_id` lands on
 * its rightmost page instead of a random one: fewer pages dirtied per append, and after each
 * checkpoint fewer full-page images in the write-ahead log. Within one millisecond the
 * library's counter keeps them increasing; the remaining bits are random.
 */
export function newEventId(): string {
  return v7();
}
