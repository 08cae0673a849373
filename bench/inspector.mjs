// A V8 inspector session on one Worker isolate of raw workerd (bench/workerd.mjs started with
// an inspectorPort): heap snapshots for bench:scale, CPU profiles for bench:profile.
import { WebSocket } from "./workerd.mjs";

/** The isolate Miniflare names `core:user:<worker name>`. */
export async function connectInspector(port, targetId) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const target = targets.find((t) => t.id === targetId);
  if (!target) throw new Error(`no inspector target ${targetId} among ${targets.map((t) => t.id).join(", ")}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let lastId = 0;
  const replies = new Map();
  let chunks = [];
  socket.on("message", (data) => {
    const message = JSON.parse(data);
    if (message.method === "HeapProfiler.addHeapSnapshotChunk") chunks.push(message.params.chunk);
    else replies.get(message.id)?.(message);
  });
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
    /** Samples the isolate's CPU every `intervalUs` while `during` runs; answers the profile. */
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
