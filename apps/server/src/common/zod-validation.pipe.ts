import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { fieldsFromZodError, ValidationError } from './validation.error';

/** Parses a body, query or param with a protocol schema; failures become 400 naming the field. */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<
  unknown,
  z.infer<Schema>
> {
  constructor(
    private readonly schema: Schema,
    // A POST without a body means "all defaults" for bodies whose fields are all optional.
    private readonly options: { emptyAs?: unknown } = {},
  ) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.infer<Schema> {
    const input = value === undefined && 'emptyAs' in this.options ? this.options.emptyAs : value;
    const parsed = this.schema.safeParse(input);
    if (!parsed.success) {
      throw new ValidationError(fieldsFromZodError(parsed.error, metadata.data ?? metadata.type));
    }
    return parsed.data;
  }
}
