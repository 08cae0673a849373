import { HTTPClient, Unkey } from "@unkey/api-v2";
import { expect } from "vitest";
import { type CallResult, dispatch, ROOT_KEY } from "./harness";

/** The real @unkey/api 2.x client, talking to the Worker in-process; no retries, so a refusal surfaces at once. */
export function unkeyV2(rootKey = ROOT_KEY): Unkey {
  return new Unkey({
    rootKey,
    serverURL: "http://keygate.test",
    httpClient: new HTTPClient({ fetcher: (input, init) => dispatch(new Request(input, init)) }),
    retryConfig: { strategy: "none" },
  });
}

const titles: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed" };

/** A v2 error envelope of this status; a 400 also lists `errors` (checked by the caller). */
export function expectV2Error(res: CallResult, status: number): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({
    meta: { requestId: expect.stringMatching(/^req_/) },
    error: {
      title: titles[status],
      detail: expect.any(String),
      status,
      type: expect.stringMatching(/^docs\/errors\.md#/),
      ...(status === 400 ? { errors: expect.any(Array) } : {}),
    },
  });
}

/** The location of each invalid field a v2 400 names. */
export const errorLocations = (res: CallResult): string[] => res.body.error.errors.map((e: { location: string }) => e.location);
