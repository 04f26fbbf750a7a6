import type { ZodError } from 'zod';
import { AppError } from './app-error';

/** Input that failed validation at the edge; `fields` names each bad field. */
export class ValidationError extends AppError<'VALIDATION'> {
  readonly kind = 'bad_request';

  constructor(fields: Record<string, string>) {
    super('VALIDATION', describeFields(fields), { fields });
  }
}

export function describeFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([field, reason]) => `${field}: ${reason}`)
    .join('; ');
}

/** First problem per field path (`resources.memoryMb`), unknown keys reported by their own name. */
export function fieldsFromZodError(error: ZodError, root: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const add = (path: PropertyKey[], reason: string): void => {
    const key = path.length === 0 ? root : path.map(String).join('.');
    fields[key] ??= reason;
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        add([...issue.path, key], 'is not a known field');
      }
    } else {
      add(issue.path, issue.message);
    }
  }
  return fields;
}
