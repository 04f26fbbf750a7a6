import { ApiErrorSchema } from '@ccr/protocol/api';

/**
 * A failed API call. `status` is 0 when the server could not be reached; `fields` maps a
 * field path (such as `resources.memoryMb`) to its problem so forms can show it in place.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined = undefined,
    readonly fields: Readonly<Record<string, string>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }

  static async fromResponse(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy's HTML error page, for instance: keep the status and a generic message.
    }
    const parsed = ApiErrorSchema.safeParse(body);
    if (parsed.success) {
      return new ApiError(
        response.status,
        parsed.data.message,
        parsed.data.code,
        parsed.data.fields ?? {},
      );
    }
    return new ApiError(response.status, response.statusText || `HTTP ${response.status}`);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
