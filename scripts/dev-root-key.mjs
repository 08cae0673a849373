// Gives a fresh checkout a local ROOT_KEY so `npm run dev` is ready to use: written once to
// .dev.vars (gitignored), which `wrangler dev` reads unless given --env-file (as the tests are).
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const path = new URL("../.dev.vars", import.meta.url);
const current = existsSync(path) ? readFileSync(path, "utf8") : "";
const match = /^ROOT_KEY\s*=\s*"?([^"\n]+)"?/m.exec(current);
if (!match) {
  const rootKey = `kg_dev_${randomBytes(16).toString("hex")}`;
  writeFileSync(path, `${current}${current && !current.endsWith("\n") ? "\n" : ""}ROOT_KEY="${rootKey}"\n`);
  console.log("Created a local ROOT_KEY in .dev.vars.");
}
