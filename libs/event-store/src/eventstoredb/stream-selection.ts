import { streamNameFilter, type Filter } from '@eventstore/db-client';

/**
 * The server-side filter for reads and subscriptions of $all: the streams starting with the
 * prefix, or else every stream that is not a system stream (system stream names start with `$`).
 */
export function streamSelection(streamPrefix?: string): Filter {
  return streamPrefix ? streamNameFilter({ prefixes: [streamPrefix] }) : streamNameFilter({ regex: '^[^$]' });
}
