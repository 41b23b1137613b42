import { randomUUID } from "node:crypto";

import { ReelhouseConnectionError, ReelhouseError, type FieldProblem } from "./error.js";
import { ERRORS } from "./errors.js";
import { resources } from "./resources.js";
import type { Caller, RequestOptions, Route } from "./types.js";

const WRITES = new Set(["POST", "PATCH", "DELETE"]);
const RETRY_STATUSES = new Set([429, 503]);
const BACKOFF_MS = 500;
const MAX_WAIT_MS = 60_000;

export interface ClientOptions {
  /** `https://api.example.com` (no `/v1`). */
  baseUrl: string;
  /** `rh_live_…` or `rh_test_…`. */
  apiKey: string;
  /** Retries of network failures and 429/503 answers (default 3). */
  maxRetries?: number;
  fetch?: typeof fetch;
}

/** How long to wait before retry `attempt`: `Retry-After` when sent, else a backoff. */
export function retryDelay(attempt: number, response: Response | null): number {
  const header = response?.headers.get("retry-after");
  if (header != null) {
    const seconds = Number(header);
    if (!Number.isNaN(seconds)) return Math.min(Math.max(seconds * 1000, 0), MAX_WAIT_MS);
    const when = Date.parse(header);
    if (!Number.isNaN(when)) return Math.min(Math.max(when - Date.now(), 0), MAX_WAIT_MS);
  }
  const backoff = BACKOFF_MS * 2 ** attempt * (0.75 + Math.random() / 2);
  return Math.min(backoff, MAX_WAIT_MS);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function queryText(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => (item instanceof Date ? item.toISOString() : String(item)));
}

/**
 * The Reelhouse API: `client.projects.create({ slug, name })`, `client.jobs.submit({...})`,
 * `for await (const job of client.jobs.list({ status: "queued" }))`.
 *
 * Writes carry an `Idempotency-Key` (the same on every retry); network failures and 429/503
 * are retried `maxRetries` times, honouring `Retry-After`. Errors are `ReelhouseError`
 * subclasses, one per code (`NotFoundError`, `ValidationFailedError`, …).
 */
export class ReelhouseClient implements Caller {
  readonly baseUrl: string;
  readonly maxRetries: number;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly api: ReturnType<typeof resources>;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#apiKey = options.apiKey;
    this.maxRetries = options.maxRetries ?? 3;
    this.#fetch = options.fetch ?? fetch;
    this.api = resources(this);
    Object.assign(this, this.api);
  }

  /** Sends one request with retries; resolves to the parsed body (undefined for 204). */
  async request<T>(method: string, path: string, init: { query?: [string, string][]; body?: unknown } & RequestOptions = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of init.query ?? []) url.searchParams.append(key, value);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#apiKey}`, Accept: "application/json" };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    if (WRITES.has(method)) headers["Idempotency-Key"] = init.idempotencyKey ?? randomUUID();
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    for (let attempt = 0; ; attempt += 1) {
      const last = attempt >= this.maxRetries;
      let response: Response;
      try {
        response = await this.#fetch(url, { method, headers, body, signal: init.signal });
      } catch (error) {
        if (last || init.signal?.aborted) {
          throw new ReelhouseConnectionError(String(error), { status: 0, code: "CONNECTION_FAILED" });
        }
        await sleep(retryDelay(attempt, null));
        continue;
      }
      if (RETRY_STATUSES.has(response.status) && !last) {
        await response.arrayBuffer();
        await sleep(retryDelay(attempt, response));
        continue;
      }
      return (await this.#result(response)) as T;
    }
  }

  async #result(response: Response): Promise<unknown> {
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (response.ok) return parsed;
    const error = (parsed as { error?: Record<string, unknown> } | undefined)?.error ?? {};
    const code = typeof error.code === "string" ? error.code : "UNKNOWN";
    const Kind = ERRORS[code] ?? ReelhouseError;
    throw new Kind(String(error.message ?? `HTTP ${response.status}`), {
      status: response.status,
      code,
      fields: (error.fields as FieldProblem[] | undefined) ?? [],
      requestId: (error.request_id as string | undefined) ?? null,
      headers: response.headers,
    });
  }

  #split(route: Route, args: object): { path: string; query: [string, string][]; body?: unknown } {
    const rest: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    let path = route.path;
    for (const name of route.pathParams) {
      if (rest[name] === undefined) throw new TypeError(`missing argument \`${name}\``);
      path = path.replace(`{${name}}`, encodeURIComponent(String(rest[name])));
      delete rest[name];
    }
    const query: [string, string][] = [];
    const inQuery = route.body ? route.queryParams : Object.keys(rest);
    for (const name of inQuery) {
      if (rest[name] === undefined || rest[name] === null) continue;
      for (const text of queryText(rest[name])) query.push([name, text]);
      delete rest[name];
    }
    return route.body ? { path, query, body: rest } : { path, query };
  }

  one<T>(route: Route, args: object, options: RequestOptions = {}): Promise<T> {
    const { path, query, body } = this.#split(route, args);
    return this.request<T>(route.method, path, { query, body, ...options });
  }

  async *list<T>(route: Route, args: object, options: RequestOptions = {}): AsyncIterable<T> {
    let cursor: string | null = null;
    do {
      const page: { data: T[]; has_more: boolean; next_cursor: string | null } = await this.one(
        route,
        cursor === null ? args : { ...args, cursor },
        options,
      );
      yield* page.data;
      cursor = page.has_more ? page.next_cursor : null;
    } while (cursor !== null);
  }
}

// Every resource is also a property of the client itself (`client.projects`).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface ReelhouseClient extends ReturnType<typeof resources> {}
