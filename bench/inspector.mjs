// A V8 inspector session on one Worker isolate of raw workerd (bench/workerd.mjs started with
// an inspectorPort): heap snapshots for bench:scale, CPU profiles for bench:profile.
import { WebSocket } from "./workerd.mjs";

/** @import { Profiler } from "node:inspector" */

/**
 * A message of the Chrome DevTools Protocol: a reply carries the `id` of its call, an event its `method`.
 * @typedef {{ id?: number, method?: string, params?: any, result?: any, error?: { message: string } }} ProtocolMessage
 */

/**
 * @param {number} port the inspector port workerd was started with
 * @param {string} targetId the isolate, as Miniflare names it: `core:user:<worker name>`
 */
export async function connectInspector(port, targetId) {
  const targets = /** @type {{ id: string, webSocketDebuggerUrl: string }[]} */ (await (await fetch(`http://127.0.0.1:${port}/json`)).json());
  const target = targets.find((t) => t.id === targetId);
  if (!target) throw new Error(`no inspector target ${targetId} among ${targets.map((t) => t.id).join(", ")}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let lastId = 0;
  /** @type {Map<number, (message: ProtocolMessage) => void>} */
  const replies = new Map();
  /** @type {string[]} */
  let chunks = [];
  socket.on("message", (/** @type {Buffer} */ data) => {
    const message = /** @type {ProtocolMessage} */ (JSON.parse(data.toString()));
    if (message.method === "HeapProfiler.addHeapSnapshotChunk") chunks.push(message.params.chunk);
    else if (message.id !== undefined) replies.get(message.id)?.(message);
  });
  /** @type {(method: string, params?: object) => Promise<any>} */
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      replies.set(id, (message) => {
        replies.delete(id);
        if (message.error) reject(new Error(`${method}: ${message.error.message}`));
        else resolve(message.result);
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    /** The summed size of every object a heap snapshot finds reachable. */
    async liveHeapBytes() {
      chunks = [];
      await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      const { snapshot, nodes } = JSON.parse(chunks.join(""));
      const fields = snapshot.meta.node_fields;
      let total = 0;
      for (let i = fields.indexOf("self_size"); i < nodes.length; i += fields.length) total += nodes[i];
      return total;
    },
    /**
     * Samples the isolate's CPU every `intervalUs` while `during` runs; answers the profile.
     * @param {() => Promise<void>} during
     * @returns {Promise<Profiler.Profile>}
     */
    async cpuProfile(during, intervalUs = 100) {
      await call("Profiler.enable");
      await call("Profiler.setSamplingInterval", { interval: intervalUs });
      await call("Profiler.start");
      let stopped;
      try {
        await during();
      } finally {
        stopped = await call("Profiler.stop");
      }
      return stopped.profile;
    },
    close: () => socket.close(),
  };
}
