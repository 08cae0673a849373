import { HTTPClient, Unkey } from "@unkey/api-v2";
import { expect } from "vitest";
import { V2_ERROR_TITLES } from "../../src/surfaces/unkey-v2/envelope";
import { type CallResult, dispatch, post, ROOT_KEY } from "./harness";

/** The real @unkey/api 2.x client, talking to the Worker in-process; no retries, so a refusal surfaces at once. */
export function unkeyV2(rootKey = ROOT_KEY): Unkey {
  return new Unkey({
    rootKey,
    serverURL: "http://keygate.test",
    httpClient: new HTTPClient({ fetcher: (input, init) => dispatch(new Request(input, init)) }),
    retryConfig: { strategy: "none" },
  });
}

/** A v2 call that must succeed, and parse as the SDK's answer does; answers the body. */
export async function v2<T = any>(operation: string, body: unknown, schema: { parse(value: unknown): unknown }, rootKey?: string): Promise<T> {
  const res = await post(`/v2/${operation}`, body, { rootKey });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.meta).toEqual({ requestId: expect.stringMatching(/^req_/) });
  schema.parse(res.body);
  return res.body;
}

/** What a caller may pin down beyond the envelope: the error's `type` code, words its detail holds, a label for a wrong status. */
export interface V2ErrorExpectation {
  code?: string;
  detail?: string;
  label?: string;
}

/** A v2 error envelope of this status; a 400 also lists `errors` (checked by the caller). */
export function expectV2Error(res: CallResult, status: number, { code, detail, label }: V2ErrorExpectation = {}): void {
  expect(res.status, `${label ? `${label}: ` : ""}${JSON.stringify(res.body)}`).toBe(status);
  expect(res.body).toEqual({
    meta: { requestId: expect.stringMatching(/^req_/) },
    error: {
      title: V2_ERROR_TITLES[status],
      detail: detail === undefined ? expect.any(String) : expect.stringContaining(detail),
      status,
      type: code === undefined ? expect.stringMatching(/^docs\/errors\.md#/) : `docs/errors.md#${code}`,
      ...(status === 400 ? { errors: expect.any(Array) } : {}),
    },
  });
}

/** The location of each invalid field a v2 400 names. */
export const errorLocations = (res: CallResult): string[] => res.body.error.errors.map((e: { location: string }) => e.location);

/** A v2 call refused with a 400; answers the location of each invalid field. */
export async function invalidFields(operation: string, body: unknown, rootKey?: string): Promise<string[]> {
  const res = await post(`/v2/${operation}`, body, { rootKey });
  expectV2Error(res, 400, { code: "bad_request" });
  return errorLocations(res);
}

/** A v2 call refused with a 403 naming the permission it needs. */
export async function forbidden(operation: string, body: unknown, rootKey: string, permission: string): Promise<void> {
  expectV2Error(await post(`/v2/${operation}`, body, { rootKey }), 403, { code: "insufficient_permissions", detail: permission, label: operation });
}
