import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";

/**
 * Which program to run: an existing project folder (its Pulumi.yaml and stack
 * files are used as they are), or a compiled program folder for which a throwaway
 * Pulumi.yaml is written under `stateDir`.
 */
export type LocalProgram =
  | { projectDir: string }
  | {
      /** Folder of the compiled program (its index.js). */
      programDir: string;
      /** Pulumi project name. */
      projectName: string;
    };

/** How to run one Pulumi program on a local file backend, offline. */
export type LocalStackOptions = LocalProgram & {
  /** @default "dev" */
  stackName?: string;
  /**
   * Folder for everything Pulumi writes: the file backend, PULUMI_HOME and the
   * workspace (Pulumi.yaml and stack settings), so the program's own folder stays
   * untouched and two stacks never share state by accident.
   */
  stateDir: string;
  /** Root of a Pulumi CLI installation: `<cliRoot>/bin/pulumi` (see scripts/pulumi-cli.js). */
  cliRoot: string;
  /** Stack config, keys as `namespace:key`. */
  config?: ConfigMap;
  /** Extra environment for the CLI, the program and the provider process. */
  env?: Record<string, string>;
};

/**
 * The environment that makes the CLI work without any network but the program's
 * own peers: no update check, no plugin downloads (a missing plugin fails fast
 * instead of trying GitHub), a file backend instead of `pulumi login`.
 */
export function offlinePulumiEnv(stateDir: string): Record<string, string> {
  const backendDir = path.join(stateDir, "backend");
  fs.mkdirSync(backendDir, { recursive: true });
  return {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_HOME: path.join(stateDir, "home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Encrypts secrets in the local state. A user who wants a real passphrase sets it.
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "",
  };
}

/**
 * The program's Node.js options: `gc()`, for the program to give the memory of
 * reading its file back once its sets are declared (provider/program-memory.ts).
 * No larger young generation (--max-semi-space-size=64 before): it made reading
 * a 100,000-user file on one thread 13 s to 11.5 s, but a large file is read on
 * worker threads now (provider/desired-state/file-texts.ts), and the main
 * thread kept its grown young generation resident for the whole run (123 MB at
 * 100,000 users, with 4 MB of it in use). The benchmarks
 * (bench/results/sets-*.json) measure the program with these options.
 */
export const PROGRAM_NODE_ARGS = "--expose-gc";

/** Creates (or selects) a stack of the program, with all Pulumi state under `stateDir`. */
export async function openLocalStack(options: LocalStackOptions): Promise<Stack> {
  const pulumiCommand = await PulumiCommand.get({ root: options.cliRoot });
  const envVars = { ...offlinePulumiEnv(options.stateDir), ...options.env };
  const stackName = options.stackName ?? "dev";
  let stack: Stack;
  if ("projectDir" in options) {
    stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: options.projectDir }, { pulumiCommand, envVars });
  } else {
    const workDir = path.join(options.stateDir, "workspace");
    fs.mkdirSync(workDir, { recursive: true });
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName, workDir },
      {
        pulumiCommand,
        envVars,
        projectSettings: {
          name: options.projectName,
          // Compiled JavaScript: Pulumi's vendored TypeScript 3.8 is never involved.
          // nodeargs as in the root Pulumi.yaml (see there), so tests and benchmarks run programs as `pulumi up` does.
          runtime: { name: "nodejs", options: { typescript: false, nodeargs: PROGRAM_NODE_ARGS } },
          // The entry file, relative because Pulumi joins `main` onto the workspace folder.
          // A folder would not do: the language host would run the `main` of the
          // nearest package.json above it (this package's index) instead.
          main: path.relative(workDir, path.join(options.programDir, "index.js")),
        },
      },
    );
  }
  if (options.config) await stack.setAllConfig(options.config);
  return stack;
}
