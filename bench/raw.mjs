// Keygate on raw workerd against a trivial Worker on the same runtime: what Keygate itself costs,
// without wrangler's proxy in the way of both. Called by run.mjs as part of `npm run bench`.
import { compareToBaseline } from "./compare.mjs";
import { benchPaths, expectAnswers, getRequest, seedKeys } from "./seed.mjs";
import { buildWorker, startWorkerd, stateDir, TRIVIAL_WORKER } from "./workerd.mjs";

/** @import { BenchSettings } from "./compare.mjs" */

/** The target: plain verify throughput as a ratio to the trivial Worker. */
const TARGETS = { "verify: plain key": 0.6 };

/**
 * @param {string} projectRoot
 * @param {BenchSettings} settings
 */
export async function measureRawWorkerd(projectRoot, settings) {
  const bundle = await buildWorker(projectRoot);
  const state = await stateDir();
  try {
    const server = await startWorkerd(bundle, { persistTo: state.path, trivialWorker: true, floorWorker: true });
    try {
      const { baseUrl, trivialUrl, floorUrl, rootKey } = server;
      const seed = await seedKeys(baseUrl, rootKey);
      const paths = [
        { name: "trivial Worker", label: "GET / (one-line Worker)", request: getRequest(`${trivialUrl}/`) },
        ...benchPaths(baseUrl, floorUrl, seed),
      ];
      await expectAnswers(paths);
      console.log("\nraw workerd (Miniflare API, no wrangler proxy), against a trivial Worker:");
      return { trivialWorker: TRIVIAL_WORKER, rows: await compareToBaseline(paths, settings, TARGETS) };
    } finally {
      await server.stop();
    }
  } finally {
    await state.remove();
    await bundle.remove();
  }
}
