import { DomainError } from '@scope-ledger/domain';
import { AsOfQueryDto } from '../projects/dto/project.dto';
import { ProjectReads } from '../projects/project-reads';
import { FormReader } from './form-reader';
import { FormFailure } from './pages/forms';

/**
 * The `asOf` in the address of a project's page, read as the API reads it (a datetime-local field's value
 * counts as UTC). One that is not a moment, or a moment before the project was opened, is a refusal of the
 * page's as-of field; an unknown project is a 404 all the same.
 */
export async function pageAsOf(
  query: Record<string, unknown>,
  reads: ProjectReads,
  projectId: string,
): Promise<{ asOf?: string; failure?: FormFailure }> {
  if (query.asOf === undefined || query.asOf === '') return {};
  const form = new FormReader({ asOf: query.asOf });
  const refuse = (message: string) => ({
    failure: { form: 'as-of', values: form.values, detail: message, errors: [{ field: 'asOf', message }] },
  });
  let asOf: string;
  try {
    asOf = (await form.validate(AsOfQueryDto, { asOf: form.timestamp('asOf') })).asOf!;
  } catch {
    return refuse('Enter a date and time');
  }
  try {
    await reads.state(projectId, asOf);
  } catch (error) {
    if (!(error instanceof DomainError && error.kind === 'not_found')) throw error;
    await reads.state(projectId);
    return refuse('The project did not exist yet at that moment');
  }
  return { asOf };
}
