// Applies the migrations in migrations/ that the local D1 database of `wrangler dev` lacks; runs
// before every `npm run dev`, under the state directory the dev server gets (KEYGATE_PERSIST_TO).
import { spawnSync } from "node:child_process";

const persistTo = process.env.KEYGATE_PERSIST_TO;
const args = ["wrangler", "d1", "migrations", "apply", "keygate", "--local", ...(persistTo ? ["--persist-to", persistTo] : [])];
// CI=1 and no stdin: wrangler applies without asking to confirm.
const result = spawnSync("npx", args, { stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, CI: "1" } });
process.exit(result.status ?? 1);
