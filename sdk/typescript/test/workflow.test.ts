// The TypeScript SDK against a live Reelhouse server (REELHOUSE_URL, REELHOUSE_API_KEY), as a
// partner uses it: create projects, page through them, submit a job through a flaky network
// (one idempotency key for every attempt), typed errors, and a real delivered webhook.
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";

import {
  NotFoundError,
  ReelhouseClient,
  ReelhouseError,
  ValidationFailedError,
  WebhookVerificationError,
  verifyWebhook,
} from "../src/index.js";

const baseUrl = process.env.REELHOUSE_URL ?? "";
const apiKey = process.env.REELHOUSE_API_KEY ?? "";
const live = baseUrl !== "" && apiKey !== "";
const suffix = Date.now().toString(36);

test("create a project and page through every project", { skip: !live }, async () => {
  const client = new ReelhouseClient({ baseUrl, apiKey });
  const made = [];
  for (let i = 0; i < 5; i += 1) {
    made.push(await client.projects.create({ slug: `ts-${suffix}-${i}`, name: `TS ${i}` }));
  }
  const first = made[0];
  const slug: string = first.slug;
  assert.equal(slug, `ts-${suffix}-0`);
  assert.equal(first.status, "active");
  const seen: string[] = [];
  for await (const project of client.projects.list({ limit: 2, sort: "created_at" })) {
    seen.push(project.id);
  }
  assert.deepEqual(seen.slice(-5), made.map((p) => p.id));
  const renamed = await client.projects.update({ id: first.id, name: "Renamed" });
  assert.equal(renamed.name, "Renamed");
  // @ts-expect-error: `slug` is a string, and the types say so.
  await assert.rejects(client.projects.create({ slug: 5, name: "x" }), ValidationFailedError);
});

test("errors are typed", { skip: !live }, async () => {
  const client = new ReelhouseClient({ baseUrl, apiKey });
  const missing = await client.projects.get({ id: "prj_01ARZ3NDEKTSV4RRFFQ69G5FAV" }).catch((e) => e);
  assert.ok(missing instanceof NotFoundError);
  assert.equal(missing.status, 404);
  assert.match(missing.requestId ?? "", /^req_/);
  const invalid = await client.projects.create({ slug: "NO", name: "x" }).catch((e) => e);
  assert.ok(invalid instanceof ValidationFailedError && invalid instanceof ReelhouseError);
  assert.deepEqual(invalid.fields.map((f: { field: string }) => f.field), ["slug"]);
});

test("a submit survives network failures with one idempotency key", { skip: !live }, async () => {
  const keys: string[] = [];
  let failures = 2;
  const flaky: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (init?.method === "POST") keys.push(headers.get("idempotency-key") ?? "");
    if (init?.method === "POST" && failures > 0) {
      failures -= 1;
      throw new TypeError("fetch failed: connection reset");
    }
    return fetch(input, init);
  };
  const client = new ReelhouseClient({ baseUrl, apiKey, fetch: flaky });
  const project = await client.projects.create({ slug: `ts-jobs-${suffix}`, name: "Jobs" });
  keys.length = 0;
  failures = 2;
  const job = await client.jobs.submit({ project_id: project.id, kind: "generate", input: { a: 1 } });
  assert.equal(job.status, "queued");
  assert.equal(keys.length, 3);
  assert.equal(new Set(keys).size, 1);
  const jobs = [];
  for await (const each of client.jobs.list({ project_id: project.id })) jobs.push(each.id);
  assert.deepEqual(jobs, [job.id]);
});

test("verify a delivered webhook", { skip: !live, timeout: 20_000 }, async () => {
  const received = new Promise<{ body: string; headers: IncomingHttpHeaders }>((resolve) => {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        response.writeHead(200).end("ok");
        server.close();
        resolve({ body: Buffer.concat(chunks).toString("utf8"), headers: request.headers });
      });
    });
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      hookUrl.resolve(`http://127.0.0.1:${port}/hook`);
    });
  });
  const client = new ReelhouseClient({ baseUrl, apiKey });
  const endpoint = await client.webhookEndpoints.create({
    url: await hookUrl.promise,
    event_types: ["project.created"],
  });
  const secret = endpoint.secret ?? "";
  assert.ok(secret?.startsWith("whsec_"));
  const project = await client.projects.create({ slug: `ts-hook-${suffix}`, name: "Hooked" });
  const { body, headers } = await received;
  const event = verifyWebhook(body, headers as Record<string, string>, secret) as {
    type: string;
    data: { id: string };
  };
  assert.equal(event.type, "project.created");
  assert.equal(event.data.id, project.id);
  assert.throws(() => verifyWebhook(`${body} `, headers as Record<string, string>, secret), WebhookVerificationError);
});

const hookUrl = (() => {
  let resolve!: (url: string) => void;
  const promise = new Promise<string>((done) => (resolve = done));
  return { promise, resolve };
})();
