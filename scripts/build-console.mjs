// Builds the operator console and the API reference (console/) into dist/, which the Worker serves
// as static assets (wrangler.toml `[assets]`). wrangler runs it before `wrangler dev` and
// `wrangler deploy` (`[build]`), so dist/ is never committed. Nothing is fetched at run time: the
// chart library and Swagger UI are bundled or copied from node_modules.
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCE = join(PROJECT_ROOT, "console");
const OUT = join(PROJECT_ROOT, "dist");
const require = createRequire(import.meta.url);
const SWAGGER_UI = dirname(require.resolve("swagger-ui-dist/package.json"));

/** Browsers from 2023 on: native <dialog>, ES2022. */
const TARGET = ["chrome114", "firefox115", "safari16"];

/** What this build wrote; anything else in dist/ is left from an earlier build. */
const written = new Set();
await mkdir(OUT, { recursive: true });

const consoleFiles = await bundle("console/src/main.ts", "console/assets", "console");
const docsFiles = await bundle("console/src/docs.ts", "docs/assets", "docs");
const swaggerJs = await copyHashed(join(SWAGGER_UI, "swagger-ui-bundle.js"), "docs/assets");
const swaggerCss = await copyHashed(join(SWAGGER_UI, "swagger-ui.css"), "docs/assets");

await page("console/index.html", { CONSOLE_JS: consoleFiles.js, CONSOLE_CSS: consoleFiles.css });
await page("docs/index.html", { SWAGGER_JS: swaggerJs, SWAGGER_CSS: swaggerCss, DOCS_JS: docsFiles.js, DOCS_CSS: docsFiles.css });
await copyFile(join(SOURCE, "static/_headers"), join(OUT, "_headers"));
written.add(join(OUT, "_headers"));
// Removed only now: while `wrangler dev` rebuilds, the page it serves keeps its scripts.
await removeAllBut(OUT, written);

/**
 * Bundles one entry (and the CSS it imports) into `outDir`, minified, named by content hash.
 * @param {string} entry
 * @param {string} outDir
 * @param {string} name
 * @returns {Promise<{ js: string, css: string }>} Their URLs.
 */
async function bundle(entry, outDir, name) {
  const result = await build({
    // The metafile's paths are relative to this, whatever directory the script runs from.
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { [name]: join(PROJECT_ROOT, entry) },
    bundle: true,
    format: "esm",
    minify: true,
    target: TARGET,
    outdir: join(OUT, outDir),
    entryNames: "[name]-[hash]",
    metafile: true,
    logLevel: "warning",
  });
  for (const output of Object.keys(result.metafile.outputs)) written.add(join(PROJECT_ROOT, output));
  const [output, meta] = Object.entries(result.metafile.outputs).find(([, meta]) => meta.entryPoint !== undefined) ?? [];
  if (!output || !meta?.cssBundle) throw new Error(`${entry} built no script with a stylesheet`);
  return { js: urlOf(join(PROJECT_ROOT, output)), css: urlOf(join(PROJECT_ROOT, meta.cssBundle)) };
}

/**
 * Copies a file into `outDir` under a name carrying a hash of its content.
 * @param {string} path
 * @param {string} outDir
 * @returns {Promise<string>} Its URL.
 */
async function copyHashed(path, outDir) {
  const content = await readFile(path);
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 10);
  const name = basename(path).replace(/(\.[a-z]+)$/, `-${hash}$1`);
  await mkdir(join(OUT, outDir), { recursive: true });
  await writeFile(join(OUT, outDir, name), content);
  written.add(join(OUT, outDir, name));
  return urlOf(join(OUT, outDir, name));
}

/**
 * Writes an HTML page from console/static with `%NAME%` replaced by the URLs built.
 * @param {string} path
 * @param {Record<string, string>} urls
 */
async function page(path, urls) {
  const template = await readFile(join(SOURCE, "static", path), "utf8");
  const html = template.replace(/%([A-Z_]+)%/g, (placeholder, name) => {
    const url = urls[name];
    if (url === undefined) throw new Error(`${path}: nothing built for ${placeholder}`);
    return url;
  });
  await mkdir(dirname(join(OUT, path)), { recursive: true });
  await writeFile(join(OUT, path), html);
  written.add(join(OUT, path));
}

/**
 * Removes every file under `dir` not in `keep`.
 * @param {string} dir
 * @param {Set<string>} keep
 */
async function removeAllBut(dir, keep) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await removeAllBut(path, keep);
    else if (!keep.has(path)) await rm(path);
  }
}

/** @param {string} file A file under dist/. */
function urlOf(file) {
  return `/${relative(OUT, file).split("\\").join("/")}`;
}
