import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { stringify } from "yaml";
import type { BrazeLocalOptions } from "../../server";
import { startLocalBraze, type LocalBraze } from "./local-braze";
import { createTestStack, type TestStack } from "./test-stack";

/** The root program (program/index.ts), compiled: reads the YAML file named by braze:desiredState into one BrazeUserSet. */
export const ROOT_PROGRAM_DIR = path.resolve(__dirname, "..", "..", "program");
/** The same file as one BrazeUser resource per user. */
export const PER_USER_PROGRAM_DIR = path.resolve(__dirname, "..", "fixtures", "per-user-program");

/** The root program on a fresh stack, pointed at its own braze-local and at a YAML file in the stack's temp folder. */
export interface YamlStack {
  braze: LocalBraze;
  stack: TestStack;
  /** The desired-state file the program reads. */
  file: string;
  writeUsers(users: readonly object[]): void;
  close(): Promise<void>;
}

export async function startYamlStack(options: {
  projectName: string;
  braze?: Partial<BrazeLocalOptions>;
  config?: ConfigMap;
  /** @default ROOT_PROGRAM_DIR */
  programDir?: string;
}): Promise<YamlStack> {
  const braze = await startLocalBraze(options.braze);
  const stack = await createTestStack({
    programDir: options.programDir ?? ROOT_PROGRAM_DIR,
    projectName: options.projectName,
    env: { BRAZE_REST_ENDPOINT: braze.url },
  });
  const file = path.join(stack.stateDir, "users.yaml");
  await stack.setConfig({ "braze:desiredState": { value: file }, ...options.config });
  return {
    braze,
    stack,
    file,
    writeUsers: (users) => fs.writeFileSync(file, stringify({ users })),
    async close() {
      await stack.cleanup();
      await braze.close();
    },
  };
}
