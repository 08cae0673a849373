// The least a verify can cost on this runtime, for `npm run bench` to compare Keygate with: read
// the JSON body, make one call to a Durable Object named by the key, answer JSON. No routing,
// validation, hashing or cache. `/call` only answers; `/charge` also commits one storage write,
// as a verify of a key with counters must.
import { DurableObject } from "cloudflare:workers";

export class FloorState extends DurableObject {
  answer() {
    return { valid: true };
  }

  charge() {
    const used = (this.ctx.storage.kv.get("used") ?? 0) + 1;
    this.ctx.storage.kv.put("used", used);
    return { valid: true, used };
  }
}

export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === "/") return Response.json({ status: "ok" });
    if (path !== "/call" && path !== "/charge") return new Response(null, { status: 404 });
    const { key } = await request.json();
    const state = env.FLOOR_STATE.get(env.FLOOR_STATE.idFromName(key));
    return Response.json(path === "/call" ? await state.answer() : await state.charge());
  },
};
