/** A broken business rule: `conflict` (409, the state forbids it), `invalid` (422), `not_found` (404), `gone` (410). */
export type DomainErrorKind = 'conflict' | 'invalid' | 'not_found' | 'gone';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** The request field the problem is about, when there is one ("lines[2].ref"). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const conflict = (message: string, field?: string) => new DomainError('conflict', message, field);
export const invalid = (message: string, field?: string) => new DomainError('invalid', message, field);
export const notFound = (message: string) => new DomainError('not_found', message);
