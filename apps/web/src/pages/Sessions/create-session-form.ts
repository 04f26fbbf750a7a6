import { CreateSessionBodySchema, type CreateSessionBody } from '@ccr/protocol/api';
import { strings } from '../../strings';

export type FieldKey = 'name' | 'repoUrl' | 'branch' | 'resources.memoryMb' | 'resources.cpus';
export type FieldErrors = Partial<Record<FieldKey, string>>;
export type FormValues = Record<FieldKey, string>;

const fieldKeys: readonly FieldKey[] = [
  'name',
  'repoUrl',
  'branch',
  'resources.memoryMb',
  'resources.cpus',
];
export const emptyForm: FormValues = {
  name: '',
  repoUrl: '',
  branch: '',
  'resources.memoryMb': '',
  'resources.cpus': '',
};

export function isFieldKey(key: string): key is FieldKey {
  return (fieldKeys as readonly string[]).includes(key);
}

/**
 * Builds the request body from the form and checks it with the same schema the server
 * uses, so most mistakes are shown before a round trip. Empty fields mean "server default".
 */
export function buildCreateBody(
  values: FormValues,
): { body: CreateSessionBody; errors: null } | { body: null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const raw: Record<string, unknown> = {};
  const text = (key: 'name' | 'repoUrl' | 'branch') => {
    const value = values[key].trim();
    if (value !== '') {
      raw[key] = value;
    }
  };
  text('name');
  text('repoUrl');
  text('branch');
  const resources: Record<string, number> = {};
  for (const [key, field] of [
    ['resources.memoryMb', 'memoryMb'],
    ['resources.cpus', 'cpus'],
  ] as const) {
    const value = values[key].trim();
    if (value === '') {
      continue;
    }
    const number = Number(value);
    if (!Number.isFinite(number)) {
      errors[key] = strings.create.mustBeNumber;
    } else {
      resources[field] = number;
    }
  }
  if (Object.keys(resources).length > 0) {
    raw.resources = resources;
  }
  const parsed = CreateSessionBodySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join('.');
      if (isFieldKey(key)) {
        errors[key] ??= issue.message;
      }
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) {
    return { body: null, errors };
  }
  return { body: parsed.data, errors: null };
}
