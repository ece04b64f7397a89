import type { RecordedEvent } from '@scope-ledger/event-store';
import type { StaffRole } from './api-keys.service';

const WITHHELD = '(withheld)';

/** Finance reads the signer's address and browser on the certificate of completion only, not in the audit trail. */
export function seesSignerNetwork(role: StaffRole): boolean {
  return role !== 'finance';
}

/** The event with the signer's IP address and user agent withheld, in its metadata and its data alike. */
export function withSignerNetworkWithheld(event: RecordedEvent): RecordedEvent {
  const data = event.data as Record<string, unknown>;
  const withheld = (record: Record<string, unknown>) => ({
    ...record,
    ...('ip' in record ? { ip: WITHHELD } : {}),
    ...('userAgent' in record ? { userAgent: WITHHELD } : {}),
  });
  return { ...event, data: withheld(data), metadata: withheld({ ...event.metadata }) as RecordedEvent['metadata'] };
}
