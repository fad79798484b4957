/**
 * The one way the UI talks HTTP to `ferry server`: same-origin JSON with the session cookie that
 * POST /api/auth/login set. Every refusal becomes an {@link ApiError} carrying the server's
 * `message` and, for bad input, its `problems`, each naming the field at fault (`alias`,
 * `options.url`, `wizard.source.table`, `interval`...).
 */

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  /**
   * @param retryAfterSeconds when to try again, from the Retry-After header of a 429 (a login
   *     refused after too many wrong passwords); null when the answer has none
   */
  constructor(
    readonly status: number,
    message: string,
    readonly problems: FieldProblem[] = [],
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** One page of a list, as every list endpoint returns it; `page` counts from 0. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
}

export interface PageQuery {
  page: number;
  size: number;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

let onUnauthorized: () => void = () => {};
let language = 'en';

/**
 * The language of the texts the server translates (connector forms, schedule summaries,
 * templates): sent as Accept-Language with every request, `en` or `zh-CN`.
 */
export function setRequestLanguage(tag: string) {
  language = tag;
}

/** Called when a request answers 401: the session ended, the app shows the login again. */
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

function queryString(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    // Spring Security then answers 401 without WWW-Authenticate: no browser Basic-auth prompt.
    'X-Requested-With': 'XMLHttpRequest',
    'Accept-Language': language,
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path + queryString(query), {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && path !== '/api/auth/login') onUnauthorized();
  const text = await response.text();
  const json = text && (response.headers.get('Content-Type') ?? '').includes('json') ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const message = json?.message ?? (text || `${response.status} ${response.statusText}`);
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(
      response.status,
      message,
      Array.isArray(json?.problems) ? json.problems : [],
      Number.isFinite(retryAfter) ? retryAfter : null,
    );
  }
  return (json ?? (text || undefined)) as T;
}

export const http = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, body, query),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

/** The problems of an error, or one problem without a field for any other failure. */
export function problemsOf(error: unknown): FieldProblem[] {
  if (error instanceof ApiError) {
    return error.problems.length ? error.problems : [{ field: '', message: error.message }];
  }
  return [{ field: '', message: error instanceof Error ? error.message : String(error) }];
}
