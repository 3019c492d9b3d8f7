import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ConfigMap, DestroyResult, OutputMap, PreviewResult, RefreshResult, Stack, UpResult } from "@pulumi/pulumi/automation";
import { openLocalStack } from "../../automation/local-stack";
import { pulumiCliRoot } from "../../automation/pulumi-cli-root";

/** What an end-to-end test needs from one stack: real engine operations, nothing mocked. */
export interface TestStack {
  /** The Automation API stack, for anything the helpers below do not cover. */
  readonly stack: Stack;
  /** Temporary folder holding the backend, PULUMI_HOME and the workspace. */
  readonly stateDir: string;
  /** Everything the CLI printed in the last operation, stdout and stderr (for "no secret printed" checks). */
  readonly lastOutput: string;
  up(options?: { parallel?: number }): Promise<UpResult>;
  /** `expectNoChanges: true` makes the engine itself fail on any planned change. */
  preview(options?: { expectNoChanges?: boolean }): Promise<PreviewResult>;
  refresh(): Promise<RefreshResult>;
  destroy(): Promise<DestroyResult>;
  outputs(): Promise<OutputMap>;
  setConfig(config: ConfigMap): Promise<void>;
  /**
   * The stack's deployment (resources, inputs, outputs). Note: the Automation API
   * exports with --show-secrets, so secrets appear decrypted here; use
   * storedStateText() to check what is written to disk.
   */
  exportState(): Promise<ExportedState>;
  /** Every file the file backend wrote (checkpoints, backups, history), concatenated: state as stored at rest. */
  storedStateText(): string;
  /**
   * Every file under stateDir, read byte for byte (latin1, so binary files search
   * too): the backend, PULUMI_HOME, the workspace's Pulumi.yaml and stack config,
   * the temporary files of the CLI, the program and the provider (their TMPDIR is
   * stateDir/tmp), and whatever the test itself put there. For "nothing the run
   * wrote holds the secret" checks.
   */
  writtenFiles(): WrittenFile[];
  /** Deletes the temporary folder. Does not destroy resources: call destroy() for that. */
  cleanup(): Promise<void>;
}

export interface WrittenFile {
  /** Relative to stateDir, with "/" separators: `backend/.pulumi/stacks/…`, `workspace/Pulumi.dev.yaml`. */
  path: string;
  text: string;
}

export interface ExportedState {
  resources: Array<{ urn: string; type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>;
  /** The whole deployment as JSON text, for searching. */
  text: string;
}

export type TestStackOptions = (
  | {
      /** Folder of the compiled program (its index.js); its Pulumi.yaml is written in the stack's temporary folder. */
      programDir: string;
      /** @default "e2e" */
      projectName?: string;
    }
  | {
      /** A whole Pulumi project (its Pulumi.yaml, package.json and node_modules), run where it is, as a user would. */
      projectDir: string;
    }
) & {
  config?: ConfigMap;
  env?: Record<string, string>;
};

/** A fresh stack of the program or project on a file backend in a new temporary folder. */
export async function createTestStack(options: TestStackOptions): Promise<TestStack> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "braze-e2e-"));
  // Temporary files of the CLI, the program and the provider land in the stack's
  // own folder, so writtenFiles() sees them and cleanup() removes them.
  const tmpDir = path.join(stateDir, "tmp");
  fs.mkdirSync(tmpDir);
  const stack = await openLocalStack({
    ...("projectDir" in options ? { projectDir: options.projectDir } : { programDir: options.programDir, projectName: options.projectName ?? "e2e" }),
    stateDir,
    cliRoot: pulumiCliRoot(),
    config: options.config,
    env: { TMPDIR: tmpDir, ...options.env },
  });
  let output = "";
  const capture = { onOutput: (text: string) => (output += text), onError: (text: string) => (output += text) };
  const run = async <T>(operation: () => Promise<T>): Promise<T> => {
    output = "";
    return operation();
  };
  return {
    stack,
    stateDir,
    get lastOutput() {
      return output;
    },
    up: (opts) => run(() => stack.up({ ...capture, parallel: opts?.parallel })),
    preview: (opts) => run(() => stack.preview({ ...capture, expectNoChanges: opts?.expectNoChanges })),
    refresh: () => run(() => stack.refresh(capture)),
    destroy: () => run(() => stack.destroy(capture)),
    outputs: () => stack.outputs(),
    setConfig: (config) => stack.setAllConfig(config),
    async exportState() {
      const deployment = await stack.exportStack();
      return { resources: deployment.deployment.resources ?? [], text: JSON.stringify(deployment.deployment) };
    },
    storedStateText() {
      return filesUnder(path.join(stateDir, "backend"))
        .map((file) => fs.readFileSync(file, "utf8"))
        .join("\n");
    },
    writtenFiles() {
      return filesUnder(stateDir).map((file) => ({
        path: path.relative(stateDir, file).split(path.sep).join("/"),
        text: fs.readFileSync(file, "latin1"),
      }));
    },
    async cleanup() {
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Every regular file below `dir`, depth first, in name order. */
export function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(full);
      return entry.isFile() ? [full] : [];
    });
}

/**
 * Runs `command` with `variables` in the environment of the pulumi CLI, and so
 * of the provider it starts (as `VAR=1 pulumi destroy` would), then takes them out.
 */
export async function withCliEnvironment<T>(stack: TestStack, variables: Record<string, string>, command: () => Promise<T>): Promise<T> {
  const workspace = stack.stack.workspace as unknown as { envVars: Record<string, string> };
  Object.assign(workspace.envVars, variables);
  try {
    return await command();
  } finally {
    for (const name of Object.keys(variables)) delete workspace.envVars[name];
  }
}
