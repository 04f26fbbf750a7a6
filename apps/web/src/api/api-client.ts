import {
  LoginResponseSchema,
  RefreshResponseSchema,
  SessionSchema,
  TerminalTicketSchema,
  UserSchema,
  type CreateSessionBody,
  type LoginBody,
  type Session,
  type TerminalTicket,
  type User,
} from '@ccr/protocol/api';
import {
  AuditEntrySchema,
  CreatedTokenSchema,
  ManagedUserSchema,
  PersonalAccessTokenSchema,
  type AuditEntry,
  type AuditQuery,
  type ChangePasswordBody,
  type CreatedToken,
  type CreateTokenBody,
  type CreateUserBody,
  type ManagedUser,
  type PersonalAccessToken,
  type UpdateUserBody,
} from '@ccr/protocol/accounts';
import { SessionCommitSchema, type SessionCommit } from '@ccr/protocol/agent';
import { z } from 'zod';
import { ApiError } from './api-error';

/** What POST /api/sessions/:id/commit answers: the commit made, or null when nothing changed. */
export const CommitNowResultSchema = z.object({
  commit: z
    .object({
      sha: z.string(),
      message: z.string(),
      files: z.array(z.string()),
      pushed: z.boolean(),
    })
    .nullable(),
});
export type CommitNowResult = z.infer<typeof CommitNowResultSchema>;

export type AuditFilters = Partial<Pick<AuditQuery, 'userId' | 'sessionId' | 'type' | 'before'>> & {
  limit?: number;
};

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RequestOptions<T> {
  body?: unknown;
  /** Parses the response body; omitted for 204 responses. */
  schema?: z.ZodType<T>;
  /** Whether a 401 may trigger one refresh and one retry. */
  retryOnUnauthorized?: boolean;
  signal?: AbortSignal;
}

/**
 * Typed client of the REST API (DESIGN section 4). The access token lives in memory only; the
 * refresh token is an httpOnly cookie the browser sends to /api/auth/refresh by itself, so a
 * reload restores the session without the token ever touching storage a script could read.
 */
export class ApiClient {
  private accessToken: string | null = null;
  private refreshInFlight: Promise<boolean> | null = null;
  private readonly signedOutListeners = new Set<() => void>();

  constructor(private readonly baseUrl = '') {}

  get token(): string | null {
    return this.accessToken;
  }

  /** Called when the refresh token is gone or rejected: the user must sign in again. */
  onSignedOut(listener: () => void): () => void {
    this.signedOutListeners.add(listener);
    return () => this.signedOutListeners.delete(listener);
  }

  async login(body: LoginBody): Promise<User> {
    const result = await this.request('POST', '/api/auth/login', {
      body,
      schema: LoginResponseSchema,
      retryOnUnauthorized: false,
    });
    this.accessToken = result.accessToken;
    return result.user;
  }

  async logout(): Promise<void> {
    try {
      await this.request('POST', '/api/auth/logout', { retryOnUnauthorized: false });
    } finally {
      this.accessToken = null;
    }
  }

  /** Restores a session from the refresh cookie at app load; null when there is none. */
  async restore(): Promise<User | null> {
    if (!(await this.refresh())) {
      return null;
    }
    return this.me();
  }

  /**
   * Exchanges the refresh cookie for a new access token. Concurrent callers share one request,
   * because the server rotates the refresh token and a second use of the old one would fail.
   */
  refresh(): Promise<boolean> {
    this.refreshInFlight ??= this.doRefresh().finally(() => {
      this.refreshInFlight = null;
    });
    return this.refreshInFlight;
  }

  me(): Promise<User> {
    return this.request('GET', '/api/auth/me', { schema: UserSchema });
  }

  listSessions(): Promise<Session[]> {
    return this.request('GET', '/api/sessions', { schema: z.array(SessionSchema) });
  }

  getSession(id: string): Promise<Session> {
    return this.request('GET', `/api/sessions/${encodeURIComponent(id)}`, {
      schema: SessionSchema,
    });
  }

  createSession(body: CreateSessionBody): Promise<Session> {
    return this.request('POST', '/api/sessions', { body, schema: SessionSchema });
  }

  stopSession(id: string): Promise<Session> {
    return this.request('POST', `/api/sessions/${encodeURIComponent(id)}/stop`, {
      schema: SessionSchema,
    });
  }

  startSession(id: string): Promise<Session> {
    return this.request('POST', `/api/sessions/${encodeURIComponent(id)}/start`, {
      schema: SessionSchema,
    });
  }

  async deleteSession(id: string): Promise<void> {
    await this.request('DELETE', `/api/sessions/${encodeURIComponent(id)}`);
  }

  createTerminalTicket(sessionId: string, terminal: string): Promise<TerminalTicket> {
    return this.request(
      'POST',
      `/api/sessions/${encodeURIComponent(sessionId)}/terminals/${encodeURIComponent(terminal)}/tickets`,
      { schema: TerminalTicketSchema },
    );
  }

  listCommits(sessionId: string): Promise<SessionCommit[]> {
    return this.request('GET', `/api/sessions/${encodeURIComponent(sessionId)}/commits`, {
      schema: z.array(SessionCommitSchema),
    });
  }

  commitNow(sessionId: string, message: string | undefined): Promise<CommitNowResult> {
    return this.request('POST', `/api/sessions/${encodeURIComponent(sessionId)}/commit`, {
      body: message === undefined ? {} : { message },
      schema: CommitNowResultSchema,
    });
  }

  async changePassword(body: ChangePasswordBody): Promise<void> {
    await this.request('POST', '/api/auth/password', { body });
  }

  listTokens(): Promise<PersonalAccessToken[]> {
    return this.request('GET', '/api/tokens', { schema: z.array(PersonalAccessTokenSchema) });
  }

  createToken(body: CreateTokenBody): Promise<CreatedToken> {
    return this.request('POST', '/api/tokens', { body, schema: CreatedTokenSchema });
  }

  async deleteToken(id: string): Promise<void> {
    await this.request('DELETE', `/api/tokens/${encodeURIComponent(id)}`);
  }

  listUsers(): Promise<ManagedUser[]> {
    return this.request('GET', '/api/users', { schema: z.array(ManagedUserSchema) });
  }

  createUser(body: CreateUserBody): Promise<ManagedUser> {
    return this.request('POST', '/api/users', { body, schema: ManagedUserSchema });
  }

  updateUser(id: string, body: UpdateUserBody): Promise<ManagedUser> {
    return this.request('PATCH', `/api/users/${encodeURIComponent(id)}`, {
      body,
      schema: ManagedUserSchema,
    });
  }

  async deleteUser(id: string): Promise<void> {
    await this.request('DELETE', `/api/users/${encodeURIComponent(id)}`);
  }

  listAudit(filters: AuditFilters, signal?: AbortSignal): Promise<AuditEntry[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value !== undefined && value !== '') {
        params.set(key, String(value));
      }
    }
    const query = params.size > 0 ? `?${params.toString()}` : '';
    return this.request('GET', `/api/audit${query}`, {
      schema: z.array(AuditEntrySchema),
      signal,
    });
  }

  /** fetch with the Bearer header and one refresh-and-retry on 401 (used for SSE too). */
  async authorizedFetch(
    path: string,
    init: RequestInit = {},
    retryOnUnauthorized = true,
  ): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.accessToken) {
      headers.set('Authorization', `Bearer ${this.accessToken}`);
    }
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        ...init,
        headers,
        credentials: 'same-origin',
      });
    } catch (error) {
      if (init.signal?.aborted) {
        throw error;
      }
      throw new ApiError(0, 'network error', 'NETWORK', {}, { cause: error });
    }
    if (response.status === 401 && retryOnUnauthorized) {
      if (await this.refresh()) {
        return this.authorizedFetch(path, init, false);
      }
    }
    return response;
  }

  private async request<T = undefined>(
    method: Method,
    path: string,
    options: RequestOptions<T> = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.authorizedFetch(
      path,
      {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      },
      options.retryOnUnauthorized ?? true,
    );
    if (!response.ok) {
      throw await ApiError.fromResponse(response);
    }
    if (!options.schema) {
      return undefined as T;
    }
    const json: unknown = await response.json();
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiError(
        response.status,
        `unexpected response from ${method} ${path}`,
        'BAD_RESPONSE',
        {},
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  private async doRefresh(): Promise<boolean> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/auth/refresh`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
    } catch {
      // Offline is not signed out: keep the current token and let callers retry later.
      return false;
    }
    if (!response.ok) {
      const hadToken = this.accessToken !== null;
      this.accessToken = null;
      if (hadToken && (response.status === 401 || response.status === 403)) {
        this.signedOutListeners.forEach((listener) => listener());
      }
      return false;
    }
    const parsed = RefreshResponseSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) {
      return false;
    }
    this.accessToken = parsed.data.accessToken;
    return true;
  }
}

export const api = new ApiClient();
