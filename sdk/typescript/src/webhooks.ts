import { Webhook, WebhookVerificationError as LibraryError } from "standardwebhooks";

import { WebhookVerificationError } from "./error.js";

/**
 * The parsed event, if `payload` (the raw request body, before any JSON parsing) was signed
 * with `secret` (`whsec_…`) within the last five minutes; throws `WebhookVerificationError`
 * otherwise. Uses the official `standardwebhooks` library. While a secret rotates a request
 * carries two signatures and either may match; `headers["webhook-id"]` identifies the event.
 */
export function verifyWebhook(
  payload: string | Buffer,
  headers: Record<string, string | string[] | undefined> | Headers,
  secret: string,
): unknown {
  const flat: Record<string, string> = {};
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [key, value] of entries) {
    if (value !== undefined) flat[key.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const body = typeof payload === "string" ? payload : payload.toString("utf8");
  try {
    return new Webhook(secret).verify(body, flat);
  } catch (error) {
    if (error instanceof LibraryError) throw new WebhookVerificationError(error.message);
    throw error;
  }
}
