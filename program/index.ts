// The root Pulumi program: the users of the YAML file named by `braze:desiredState`
// (relative to the project folder), as one BrazeUserSet named "users". The set is
// declared even when the file lists no users, so an emptied file is an update of
// the set, which the provider sees (and guards), not a deleted resource. The file
// is checked against the workspace's limits (`braze:stringArrayMaxItems`).
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { brazeUserSetFromFile } from "../provider/desired-state-resources";
import { resolveWorkspaceLimits } from "../provider/runtime/workspace-limits-setting";

/** The root program's set, under a name that never changes (every export of this module is a stack output). */
const ROOT_SET_NAME = "users";

const config = new pulumi.Config("braze");
const file = path.resolve(pulumi.getRootDirectory(), config.require("desiredState"));
// pulumi.Config takes keys without the namespace; the settings name them whole (braze:...).
const limits = resolveWorkspaceLimits({ get: (key) => config.get(key.replace(/^braze:/, "")) });
const users = brazeUserSetFromFile(ROOT_SET_NAME, file, undefined, limits);

export const desiredState = path.relative(pulumi.getRootDirectory(), file);
export const userCount = users.userCount;
export const pending = users.pending;
