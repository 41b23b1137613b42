// From a key to a verified webhook: start a receiver, register it, cause an event, verify it.
//
//   npm run build
//   REELHOUSE_URL=http://127.0.0.1:8000 REELHOUSE_API_KEY=rh_live_… node dist/examples/webhook-quickstart.js
//
// The server must allow webhooks to this machine (REELHOUSE_WEBHOOKS_ALLOW_PRIVATE_URLS=true,
// as in the README's quick start).
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

import { ReelhouseClient, verifyWebhook } from "../src/index.js";

const receiver = createServer();
const delivery = new Promise<{ body: Buffer; headers: IncomingHttpHeaders }>((resolve) => {
  receiver.on("request", (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      response.writeHead(200).end();
      resolve({ body: Buffer.concat(chunks), headers: request.headers });
    });
  });
});

async function main(): Promise<void> {
  await new Promise<void>((ready) => receiver.listen(0, "127.0.0.1", ready));
  const { port } = receiver.address() as AddressInfo;
  const client = new ReelhouseClient({
    baseUrl: process.env.REELHOUSE_URL ?? "http://127.0.0.1:8000",
    apiKey: process.env.REELHOUSE_API_KEY ?? "",
  });
  const endpoint = await client.webhookEndpoints.create({
    url: `http://127.0.0.1:${port}/hook`,
    event_types: ["project.created"],
  });
  const secret = endpoint.secret ?? ""; // shown only now: store it
  const project = await client.projects.create({ slug: `quickstart-${Date.now()}`, name: "Quick start" });
  console.log("created", project.id);
  for await (const item of client.projects.list({ limit: 10 })) console.log(" -", item.slug);

  const { body, headers } = await delivery;
  const event = verifyWebhook(body, headers as Record<string, string>, secret) as { type: string };
  console.log("verified webhook", headers["webhook-id"], event.type);
  await client.webhookEndpoints.delete({ id: endpoint.id });
  receiver.close();
}

await main();
