import { env } from "cloudflare:test";
import { beforeAll } from "vitest";

beforeAll(async () => {
  const statements: string[] = JSON.parse(env.TEST_SCHEMA);
  await env.DB.batch(statements.map((statement) => env.DB.prepare(statement)));
});
