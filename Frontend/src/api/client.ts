/**
 * Minimal fetch-based HTTP client for the Ronin API.
 *
 * - Sends `Authorization: Bearer <token>` when a token is stored.
 * - Turns every non-2xx answer into an `ApiError` carrying the server's `error` code and `message`
 *   (and `Retry-After` seconds for 429).
 * - On a 401 from an authenticated request, drops the token and calls the handler registered with
 *   `onUnauthorized` (the AuthContext sends the user to the login page). Requests made with
 *   `authRedirect: false` (login, change password) report their 401 to the caller instead.
 */
import { clearToken, loadToken } from './tokenStore';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds from the Retry-After header (429 answers), if any. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Serialised as JSON unless it is already a string or Blob. */
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** When false, a 401 is returned to the caller and does not sign the user out. */
  authRedirect?: boolean;
  signal?: AbortSignal;
}

type UnauthorizedHandler = () => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** Registers the single callback run when the API answers 401 to a signed-in request. */
export function onUnauthorized(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  if (query) {
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function errorFrom(response: Response): Promise<ApiError> {
  let code = 'http_' + response.status;
  let message = response.statusText || `Request failed (${response.status})`;
  try {
    const text = await response.text();
    if (text) {
      const body = JSON.parse(text) as Partial<{ error: string; message: string }>;
      if (typeof body.error === 'string') code = body.error;
      if (typeof body.message === 'string' && body.message) message = body.message;
    }
  } catch {
    /* not JSON: keep the status text */
  }
  return new ApiError(response.status, code, message, parseRetryAfter(response.headers.get('Retry-After')));
}

/** Performs the request and returns the raw Response when it is 2xx; throws ApiError otherwise. */
export async function requestRaw(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const token = loadToken();
  if (token) headers.Authorization = `Bearer ${token}`;

  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string' || options.body instanceof Blob) {
      body = options.body;
    } else {
      body = JSON.stringify(options.body);
    }
    if (!headers['Content-Type']) headers['Content-Type'] = 'application/json';
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'Cannot reach the Ronin server. Check your connection and try again.');
  }

  if (response.ok) return response;

  const error = await errorFrom(response);
  if (response.status === 401 && options.authRedirect !== false && token) {
    clearToken();
    unauthorizedHandler?.();
  }
  throw error;
}

/** Performs the request and parses a JSON answer (undefined for 204). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await requestRaw(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'bad_response', 'The server sent an answer that is not valid JSON.');
  }
}

/** A readable message for any thrown value. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
