import { createHash } from 'node:crypto';

/** The document SHA-256 as shown to signers and stored in events: lowercase hex. */
export function sha256Hex(document: Buffer): string {
  return createHash('sha256').update(document).digest('hex');
}
