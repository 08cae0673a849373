import { dependency } from "../errors";

/** D1 reads and writes, with failures turned into 503s. */
export function first<T>(db: D1Database, sql: string, ...params: unknown[]): Promise<T | null> {
  return dependency("D1", () =>
    db
      .prepare(sql)
      .bind(...params)
      .first<T>(),
  );
}

export async function all<T>(db: D1Database, sql: string, ...params: unknown[]): Promise<T[]> {
  const result = await dependency("D1", () =>
    db
      .prepare(sql)
      .bind(...params)
      .all<T>(),
  );
  return result.results;
}

/**
 * Runs statements as one transaction: all are applied, or none. Pass a function to build them
 * inside the dependency guard, so even a failing prepare() is a 503.
 */
export function batch(db: D1Database, statements: D1PreparedStatement[] | (() => D1PreparedStatement[])): Promise<D1Result[]> {
  return dependency("D1", () => db.batch(typeof statements === "function" ? statements() : statements));
}

export function parseJson<T>(text: string | null, fallback: T): T {
  return text ? (JSON.parse(text) as T) : fallback;
}

/**
 * True when a D1 write failed because a row with the same unique key already exists in `table`,
 * also when `batch` has wrapped that failure in its 503.
 */
export function isUniqueViolation(err: unknown, table: string): boolean {
  if (!(err instanceof Error)) return false;
  return err.message.includes(`UNIQUE constraint failed: ${table}.`) || isUniqueViolation(err.cause, table);
}
