import { dependency } from "../errors";
import type { Env } from "../env";

/** D1 reads and writes, with failures turned into 503s. */
export function first<T>(env: Env, sql: string, ...params: unknown[]): Promise<T | null> {
  return dependency("D1", () => env.DB.prepare(sql).bind(...params).first<T>());
}

export async function all<T>(env: Env, sql: string, ...params: unknown[]): Promise<T[]> {
  const result = await dependency("D1", () => env.DB.prepare(sql).bind(...params).all<T>());
  return result.results;
}

/**
 * Runs statements as one transaction: all are applied, or none. Pass a function to build them
 * inside the dependency guard, so even a failing prepare() is a 503.
 */
export function batch(env: Env, statements: D1PreparedStatement[] | (() => D1PreparedStatement[])): Promise<D1Result[]> {
  return dependency("D1", () => env.DB.batch(typeof statements === "function" ? statements() : statements));
}

export function parseJson<T>(text: string | null, fallback: T): T {
  return text ? (JSON.parse(text) as T) : fallback;
}

/** True when a D1 write failed because a row with the same unique key already exists in `table`. */
export function isUniqueViolation(err: unknown, table: string): boolean {
  return err instanceof Error && err.message.includes(`UNIQUE constraint failed: ${table}.`);
}
