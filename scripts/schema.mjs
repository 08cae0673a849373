import { readFileSync } from "node:fs";

/**
 * schema.sql as single statements, comments removed, for D1 batches: the benchmarks' raw workerd,
 * and the test that holds the migrations equal to it.
 */
export function schemaStatements(path = new URL("../schema.sql", import.meta.url)) {
  return readFileSync(path, "utf8")
    .replace(/--[^\n]*/g, "")
    .split(";")
    .map((statement) => statement.trim())
    .filter(Boolean);
}
