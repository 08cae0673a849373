// Applies schema.sql to the local D1 database that `wrangler dev` uses. The schema is
// idempotent, so this runs before every `npm run dev`.
import { spawnSync } from "node:child_process";

const persistTo = process.env.KEYGATE_PERSIST_TO;
const args = ["wrangler", "d1", "execute", "DB", "--local", "--file", "schema.sql", ...(persistTo ? ["--persist-to", persistTo] : [])];
const result = spawnSync("npx", args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, CI: "1" } });
process.exit(result.status ?? 1);
