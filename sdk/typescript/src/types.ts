// What one call of `client.<resource>.<method>(args)` takes and returns, computed from the
// operation types openapi-typescript generated (`schema.d.ts`): path parameters, query
// parameters and body fields in one object, keyed as the REST API spells them (snake_case).

type Present<T> = [T] extends [never] ? {} : [T] extends [undefined] ? {} : NonNullable<T>;

type PathOf<O> = O extends { parameters: { path?: infer P } } ? Present<P> : {};
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? Present<Q> : {};
type BodyOf<O> = O extends { requestBody: { content: { "application/json": infer B } } }
  ? B
  : O extends { requestBody?: { content: { "application/json": infer B } } }
    ? Partial<Present<B>>
    : {};

/** The single argument object of an operation. */
export type Args<O> = PathOf<O> & QueryOf<O> & BodyOf<O>;

type JsonOf<R> = R extends { content: { "application/json": infer J } } ? J : undefined;

/** What an operation resolves to: its 200 or 201 body (undefined for 204 only). */
export type Ok<O> = O extends { responses: infer R }
  ? R extends { 200: infer A }
    ? JsonOf<A> | (R extends { 204: unknown } ? undefined : never)
    : R extends { 201: infer C }
      ? JsonOf<C>
      : undefined
  : never;

/** One item of a list operation's `data`. */
export type Item<O> = Ok<O> extends { data: (infer I)[] } ? I : never;

export interface Route {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  body: boolean;
}

export interface RequestOptions {
  /** Sent as `Idempotency-Key` (writes get a fresh one by default, reused on retries). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface Caller {
  one<T>(route: Route, args: object, options?: RequestOptions): Promise<T>;
  list<T>(route: Route, args: object, options?: RequestOptions): AsyncIterable<T>;
}
