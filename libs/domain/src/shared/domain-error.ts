/**
 * A command that breaks a business rule. `conflict` maps to HTTP 409 (the state forbids it),
 * `invalid` to 422 (the request can never be right), `not_found` to 404.
 */
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
