// The root Pulumi program: the users of the YAML file named by `braze:desiredState`
// (relative to the project folder), as BrazeUser resources.
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { brazeUsersFromFile } from "../provider/desired-state-resources";

const config = new pulumi.Config("braze");
const file = path.resolve(pulumi.getRootDirectory(), config.require("desiredState"));
const users = brazeUsersFromFile(file);

export const desiredState = path.relative(pulumi.getRootDirectory(), file);
export const userCount = users.length;
