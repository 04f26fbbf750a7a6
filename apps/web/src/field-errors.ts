import type { z } from 'zod';

/** The first problem of each top-level field of a failed parse, keyed like the server's `fields`. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    if (key !== '' && !(key in fields)) {
      fields[key] = issue.message;
    }
  }
  return fields;
}
