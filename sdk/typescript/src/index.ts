export { ReelhouseClient, retryDelay, type ClientOptions } from "./client.js";
export {
  ReelhouseConnectionError,
  ReelhouseError,
  WebhookVerificationError,
  type FieldProblem,
} from "./error.js";
export * from "./errors.js";
export type { components, operations, paths } from "./schema.js";
export type { Args, Item, Ok, RequestOptions } from "./types.js";
export { verifyWebhook } from "./webhooks.js";
