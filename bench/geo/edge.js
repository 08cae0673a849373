// Bench-only entry of an "edge" Worker for `npm run bench:geo`: Keygate's own bundle (imported as
// ./index.js, placed beside it by bench/geo/topology.mjs), with every call through its Durable
// Object bindings made to wait a simulated round trip first, as an isolate far from the objects
// would. It also counts those calls, and the verifies it serves, for GET /__geo/counts. Nothing
// here is part of Keygate: the bundle runs unchanged, only the bindings it is handed differ.
import keygate from "./index.js";

/** The bindings through which an isolate reaches Durable Objects. */
const OBJECT_BINDINGS = ["KEY_STATE", "LIMITER"];
const VERIFY_PATH = "/v1/keys.verifyKey";
const COUNTS_PATH = "/__geo/counts";
/** POST here and this isolate answers 503 to everything after (bench/leaseCost.mjs): what it holds is never returned. */
const DIE_PATH = "/__geo/die";
let dead = false;

/** Calls by binding and method, and verifies served, since this isolate started. */
const counts = { verifies: 0, objectCalls: 0, byMethod: {} };

/** One wrapped env per env this isolate is handed, so that anything keyed on env stays stable. */
const wrappedEnvs = new WeakMap();

export default {
  fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    if (dead) return new Response("this isolate is dead", { status: 503 });
    if (path === DIE_PATH && request.method === "POST") {
      dead = true;
      return Response.json({ dead });
    }
    if (path === COUNTS_PATH) return Response.json(counts);
    if (path === VERIFY_PATH) counts.verifies++;
    return keygate.fetch(request, wrapEnv(env), ctx);
  },
};

function wrapEnv(env) {
  let wrapped = wrappedEnvs.get(env);
  if (!wrapped) {
    const rttMs = Number(env.GEO_OBJECT_RTT_MS ?? "0");
    wrapped = { ...env };
    for (const binding of OBJECT_BINDINGS) {
      if (env[binding]) wrapped[binding] = distantNamespace(env[binding], binding, rttMs);
    }
    wrappedEnvs.set(env, wrapped);
  }
  return wrapped;
}

/** A namespace whose stubs are distant; ids are made locally, as on the real edge. */
function distantNamespace(namespace, binding, rttMs) {
  return new Proxy(namespace, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      if (property === "get" || property === "getByName") return (...args) => distantStub(value.apply(target, args), binding, rttMs);
      if (property === "jurisdiction") return (...args) => distantNamespace(value.apply(target, args), binding, rttMs);
      return value.bind(target);
    },
  });
}

/** Every method call (RPC or fetch) is counted, then waits the round trip before it is made. */
function distantStub(stub, binding, rttMs) {
  return new Proxy(stub, {
    get(target, property) {
      // `id` and `name` are local fields; `then` must stay undefined so a stub is never awaited as a promise.
      if (typeof property !== "string" || property === "id" || property === "name" || property === "then") return Reflect.get(target, property);
      return async (...args) => {
        const method = `${binding}.${property}`;
        counts.objectCalls++;
        counts.byMethod[method] = (counts.byMethod[method] ?? 0) + 1;
        if (rttMs > 0) await new Promise((resolve) => setTimeout(resolve, rttMs));
        return target[property](...args);
      };
    },
  });
}
