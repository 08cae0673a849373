// Each bench script owns one block of a page, between `<!-- name:begin -->` and `<!-- name:end -->`,
// and rewrites only that block: the prose around it, and the other scripts' figures, stay.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/**
 * @param {URL} pageUrl
 * @param {string} name
 * @param {string} markdown
 */
export async function writeSection(pageUrl, name, markdown) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const page = await readFile(pageUrl, "utf8");
  const from = page.indexOf(begin);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${fileURLToPath(pageUrl)} has no ${begin} … ${end} block to write`);
  await writeFile(pageUrl, `${page.slice(0, from + begin.length)}\n${markdown.trim()}\n${page.slice(to)}`);
}
