import { authorize, type Caller } from "../auth/caller";
import { grants } from "../auth/permissions";
import { BOOTSTRAP_ROOT_KEY_ID } from "../auth/rootKey";
import { issueKey } from "../crypto/keys";
import { KeygateError, badRequest, notFound } from "../errors";
import type { Env } from "../env";
import { newId } from "../ids";
import { auditStatement } from "../store/audit";
import { batch, first, parseJson } from "../store/db";
import { findLiveRootKey, insertRootKey, liveRootKeys, softDeleteRootKey } from "../store/rootKeys";

const ROOT_KEY_PREFIX = "kg_root";

export async function createWorkspace(env: Env, caller: Caller, name: string): Promise<{ workspaceId: string }> {
  if (caller.rootKeyId !== BOOTSTRAP_ROOT_KEY_ID) {
    throw new KeygateError("INSUFFICIENT_PERMISSIONS", "Only the bootstrap ROOT_KEY can create workspaces.");
  }
  const workspaceId = newId("ws");
  await batch(env, () => [
    env.DB.prepare("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)").bind(workspaceId, name, Date.now()),
    auditStatement(env, caller, { event: "workspace.create", resources: [{ type: "workspace", id: workspaceId }], description: `Created workspace "${name}".` }, workspaceId),
  ]);
  return { workspaceId };
}

export interface CreateRootKeyInput {
  workspaceId?: string;
  name: string;
  permissions: string[];
  expires?: number;
}

/**
 * A root key acts only inside its workspace, can hand out only permissions it holds itself, and
 * cannot create one that outlives it. Only the bootstrap key may create one in another workspace.
 */
export async function createRootKey(env: Env, caller: Caller, input: CreateRootKeyInput): Promise<{ keyId: string; key: string }> {
  authorize(caller, "root_key.*.create_root_key");
  const workspaceId = input.workspaceId ?? caller.workspaceId;
  if (workspaceId !== caller.workspaceId && caller.rootKeyId !== BOOTSTRAP_ROOT_KEY_ID) throw notFound(`workspace ${workspaceId} not found`);
  const workspace = await first<{ id: string }>(env, "SELECT id FROM workspaces WHERE id = ?", workspaceId);
  if (!workspace) throw notFound(`workspace ${workspaceId} not found`);
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
  await batch(env, () => [
    insertRootKey(env, {
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
      env,
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

export async function listRootKeys(env: Env, caller: Caller) {
  authorize(caller, "root_key.*.read_root_key");
  const rows = await liveRootKeys(env, caller.workspaceId);
  return {
    rootKeys: rows.map((row) => ({
      id: row.id,
      name: row.name ?? undefined,
      start: row.start,
      permissions: parseJson<string[]>(row.permissions, []),
      createdAt: row.created_at,
      expires: row.expires ?? undefined,
      createdBy: row.created_by,
    })),
  };
}

/**
 * Takes effect on the next call: root keys are read from D1 on every management request. The root
 * keys this one created stay valid; each must be deleted by itself.
 */
export async function deleteRootKey(env: Env, caller: Caller, keyId: string): Promise<void> {
  authorize(caller, "root_key.*.delete_root_key");
  const row = await findLiveRootKey(env, caller.workspaceId, keyId);
  if (!row) throw notFound(`root key ${keyId} not found`);
  await batch(env, () => [
    softDeleteRootKey(env, keyId, Date.now()),
    auditStatement(env, caller, { event: "root_key.delete", resources: [{ type: "root_key", id: keyId }], description: `Deleted root key ${keyId}.` }),
  ]);
}
