/** One field an error names (`slug`, `variables.0.key`). */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

/** An error answer of the API; the subclass says which code (`NotFoundError`, …). */
export class ReelhouseError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldProblem[];
  readonly requestId: string | null;
  readonly headers: Headers;

  constructor(
    message: string,
    init: { status: number; code: string; fields?: FieldProblem[]; requestId?: string | null; headers?: Headers },
  ) {
    super(`${init.code} (${init.status}): ${message}`);
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? [];
    this.requestId = init.requestId ?? null;
    this.headers = init.headers ?? new Headers();
  }

  /** Seconds the server asked to wait (429 and 503), if it said. */
  get retryAfter(): number | null {
    const value = this.headers.get("retry-after");
    return value === null || Number.isNaN(Number(value)) ? null : Number(value);
  }
}

/** The server could not be reached (after the retries). */
export class ReelhouseConnectionError extends ReelhouseError {}

/** A webhook whose signature, timestamp or headers do not check out: answer it 400. */
export class WebhookVerificationError extends Error {}
