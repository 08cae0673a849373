import { authorize, type Caller } from "../auth/caller";
import { grants } from "../auth/permissions";
import { BOOTSTRAP_ROOT_KEY_ID } from "../auth/rootKey";
import { issueKey } from "../crypto/keys";
import type { Env } from "../env";
import { badRequest, KeygateError, notFound } from "../errors";
import { newId } from "../ids";
import type { CreateRootKeyInput } from "../schemas";
import { auditStatement } from "../store/audit";
import { batch, parseJson } from "../store/db";
import { findLiveRootKey, insertRootKey, liveRootKeys, rootKeyName, softDeleteRootKey } from "../store/rootKeys";
import { findWorkspaceName, insertWorkspace, workspaceExists } from "../store/workspaces";

const ROOT_KEY_PREFIX = "kg_root";

export async function createWorkspace(env: Env, caller: Caller, name: string): Promise<{ workspaceId: string }> {
  if (caller.rootKeyId !== BOOTSTRAP_ROOT_KEY_ID) {
    throw new KeygateError("INSUFFICIENT_PERMISSIONS", "Only the bootstrap ROOT_KEY can create workspaces.");
  }
  const workspaceId = newId("ws");
  await batch(env.DB, () => [
    insertWorkspace(env.DB, { id: workspaceId, name, created_at: Date.now() }),
    auditStatement(
      env.DB,
      caller,
      { event: "workspace.create", resources: [{ type: "workspace", id: workspaceId }], description: `Created workspace "${name}".` },
      workspaceId,
    ),
  ]);
  return { workspaceId };
}

/**
 * A root key acts only inside its workspace, can hand out only permissions it holds itself, and
 * cannot create one that outlives it. Only the bootstrap key may create one in another workspace.
 */
export async function createRootKey(env: Env, caller: Caller, input: CreateRootKeyInput): Promise<{ keyId: string; key: string }> {
  authorize(caller, "root_key.*.create_root_key");
  const workspaceId = input.workspaceId ?? caller.workspaceId;
  if (workspaceId !== caller.workspaceId && caller.rootKeyId !== BOOTSTRAP_ROOT_KEY_ID) throw notFound(`workspace ${workspaceId} not found`);
  if (!(await workspaceExists(env.DB, workspaceId))) throw notFound(`workspace ${workspaceId} not found`);
  const escalated = input.permissions.find((permission) => !grants(caller.permissions, permission));
  if (escalated) throw new KeygateError("INSUFFICIENT_PERMISSIONS", `This root key cannot grant ${escalated}, which it does not hold.`);
  if (input.expires !== undefined && input.expires <= Date.now()) {
    throw new KeygateError("BAD_REQUEST", "expires: must be in the future (unix milliseconds)");
  }
  const creatorExpires = caller.rootKeyExpires;
  if (creatorExpires !== null && (input.expires === undefined || input.expires > creatorExpires)) {
    throw badRequest(
      `expires: this root key expires at ${creatorExpires} (${new Date(creatorExpires).toISOString()}), and a root key it creates cannot outlive it; give expires at or before ${creatorExpires}`,
    );
  }

  const issued = issueKey(ROOT_KEY_PREFIX, 32);
  const keyId = newId("root");
  await batch(env.DB, () => [
    insertRootKey(env.DB, {
      id: keyId,
      workspace_id: workspaceId,
      hash: issued.hash,
      start: issued.start,
      name: input.name,
      permissions: JSON.stringify(input.permissions),
      expires: input.expires ?? null,
      created_by: caller.rootKeyId,
      created_at: Date.now(),
    }),
    auditStatement(
      env.DB,
      caller,
      {
        event: "root_key.create",
        resources: [{ type: "root_key", id: keyId }],
        description: `Created root key ${keyId} "${input.name}" with ${input.permissions.join(", ") || "no permissions"}.`,
      },
      workspaceId,
    ),
  ]);
  return { keyId, key: issued.plaintext };
}

/** The workspace's root keys, oldest first: all of them, or a page whose cursor is the last one's `createdAt:id`. */
export async function listRootKeys(env: Env, caller: Caller, page?: { limit: number; cursor?: string }) {
  authorize(caller, "root_key.*.read_root_key");
  const after = page?.cursor === undefined ? undefined : rootKeyOfCursor(page.cursor);
  const rows = await liveRootKeys(env.DB, caller.workspaceId, page && { limit: page.limit, after });
  const shown = page ? rows.slice(0, page.limit) : rows;
  const last = shown[shown.length - 1];
  return {
    rootKeys: shown.map((row) => ({
      id: row.id,
      name: row.name ?? undefined,
      start: row.start,
      permissions: parseJson<string[]>(row.permissions, []),
      createdAt: row.created_at,
      expires: row.expires ?? undefined,
      createdBy: row.created_by,
    })),
    cursor: page && rows.length > page.limit && last ? `${last.created_at}:${last.id}` : undefined,
  };
}

function rootKeyOfCursor(cursor: string): { createdAt: number; id: string } {
  const match = /^(\d+):(\S+)$/.exec(cursor);
  if (!match) throw badRequest("cursor: not a cursor this endpoint returned");
  return { createdAt: Number(match[1]), id: match[2]! };
}

/**
 * The root key making the call, as it authenticated: any valid root key may ask about itself, so a
 * client (the console) can offer only what its permissions allow.
 */
export async function describeCallerRootKey(env: Env, caller: Caller) {
  const name = caller.rootKeyId === BOOTSTRAP_ROOT_KEY_ID ? null : await rootKeyName(env.DB, caller.rootKeyId);
  return {
    id: caller.rootKeyId,
    name: name ?? undefined,
    workspaceId: caller.workspaceId,
    permissions: caller.permissions,
    expires: caller.rootKeyExpires ?? undefined,
  };
}

/**
 * Takes effect on the next call: root keys are read from D1 on every management request. The root
 * keys this one created stay valid; each must be deleted by itself.
 */
export async function deleteRootKey(env: Env, caller: Caller, keyId: string): Promise<void> {
  authorize(caller, "root_key.*.delete_root_key");
  const row = await findLiveRootKey(env.DB, caller.workspaceId, keyId);
  if (!row) throw notFound(`root key ${keyId} not found`);
  await batch(env.DB, () => [
    softDeleteRootKey(env.DB, keyId, Date.now()),
    auditStatement(env.DB, caller, { event: "root_key.delete", resources: [{ type: "root_key", id: keyId }], description: `Deleted root key ${keyId}.` }),
  ]);
}

/** The workspace's name (Kirim's organization). */
export async function workspaceName(env: Env, workspaceId: string): Promise<string> {
  const name = await findWorkspaceName(env.DB, workspaceId);
  // Every key references its workspace, so a missing row is Keygate's fault, not the caller's.
  if (name === null) throw new KeygateError("INTERNAL_SERVER_ERROR", `Workspace ${workspaceId} is missing.`);
  return name;
}
