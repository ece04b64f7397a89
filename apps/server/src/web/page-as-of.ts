import { AsOfQueryDto } from '../projects/dto/project.dto';
import { FormReader } from './form-reader';
import { FormFailure } from './pages/forms';

/**
 * The `asOf` in a page's address, read as the API reads it (a datetime-local field's value counts as UTC);
 * one that is not a moment is a refusal of the page's as-of field.
 */
export async function pageAsOf(query: Record<string, unknown>): Promise<{ asOf?: string; failure?: FormFailure }> {
  if (query.asOf === undefined || query.asOf === '') return {};
  const form = new FormReader({ asOf: query.asOf });
  try {
    return { asOf: (await form.validate(AsOfQueryDto, { asOf: form.timestamp('asOf') })).asOf! };
  } catch {
    return { failure: asOfFailure(form.values, 'Enter a date and time') };
  }
}

export function asOfFailure(values: FormFailure['values'], message: string): FormFailure {
  return { form: 'as-of', values, detail: message, errors: [{ field: 'asOf', message }] };
}
