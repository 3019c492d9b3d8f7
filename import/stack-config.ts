// Where the import reads Braze: the stack's braze:restEndpoint and braze:apiKey
// (`pulumi config --json --show-secrets`, the `pulumi` on PATH, as `pulumi up`
// would read them), or --endpoint and BRAZE_REST_API_KEY. The key is never printed.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveSettings, SettingsError } from "../provider/import-api";
import { ImportError } from "./import-error";

export interface BrazeTarget {
  endpoint: string;
  apiKey: string;
}

export interface TargetOptions {
  endpoint?: string;
  stack?: string;
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** Reads the stack's config; injected by tests. @default pulumiConfig */
  readConfig?: (stack: string | undefined, cwd: string | undefined, env: NodeJS.ProcessEnv) => Promise<Record<string, string>>;
}

/**
 * The endpoint and key. --endpoint wins over the stack; without it, the stack
 * is read when there is one (--stack, or a Pulumi.yaml in --cwd or the current
 * folder). The key: BRAZE_REST_API_KEY, else the stack's braze:apiKey, else,
 * for a local endpoint only, braze-local's development key.
 */
export async function brazeTarget(options: TargetOptions): Promise<BrazeTarget> {
  const inProject = options.stack !== undefined || fs.existsSync(path.join(options.cwd ?? process.cwd(), "Pulumi.yaml"));
  const config = options.endpoint === undefined && inProject ? await (options.readConfig ?? pulumiConfig)(options.stack, options.cwd, options.env) : {};
  const keyFromEnv = options.env.BRAZE_REST_API_KEY || undefined;
  const settingsConfig: Record<string, string | undefined> = {
    "braze:restEndpoint": options.endpoint ?? config["braze:restEndpoint"],
    "braze:apiKey": keyFromEnv ?? config["braze:apiKey"],
  };
  try {
    const settings = resolveSettings({ get: (key) => settingsConfig[key] }, { BRAZE_REST_ENDPOINT: options.env.BRAZE_REST_ENDPOINT });
    return { endpoint: settings.endpoint, apiKey: settings.apiKey };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    throw new ImportError({
      where: error.where === "braze:apiKey" ? "BRAZE_REST_API_KEY" : options.endpoint !== undefined ? "--endpoint" : error.where,
      what: error.what,
      hint:
        error.where === "braze:apiKey"
          ? "set BRAZE_REST_API_KEY to a REST API key with the users.export.ids and subscription.groups.get permissions, or run in the stack's project (braze:apiKey)"
          : (error.hint ?? "give an https URL such as https://rest.iad-01.braze.com"),
      usage: true,
      cause: error,
    });
  }
}

/** The stack's `braze:restEndpoint` and `braze:apiKey`, the key decrypted; nothing else of its config is kept. */
export function pulumiConfig(stack: string | undefined, cwd: string | undefined, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const args = ["config", "--json", "--show-secrets", ...(stack ? ["--stack", stack] : []), ...(cwd ? ["--cwd", cwd] : []), "--non-interactive"];
  return new Promise((resolve, reject) => {
    execFile("pulumi", args, { env: { PULUMI_SKIP_UPDATE_CHECK: "true", ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        return reject(
          new ImportError({
            where: `pulumi config${stack ? ` --stack ${stack}` : ""}`,
            what: missing ? "the Pulumi CLI is not on PATH" : `failed: ${stderr.trim().split("\n").slice(-5).join("\n") || error.message}`,
            hint: missing ? "install it, or give --endpoint and BRAZE_REST_API_KEY" : "select the stack (--stack), or give --endpoint and BRAZE_REST_API_KEY",
            cause: error,
          }),
        );
      }
      // The output holds every decrypted secret of the stack: only the two keys import needs are kept,
      // and an unreadable output is reported without quoting it (a JSON error would quote its start).
      let parsed: Record<string, { value?: unknown }>;
      try {
        parsed = JSON.parse(stdout) as Record<string, { value?: unknown }>;
      } catch {
        return reject(
          new ImportError({
            where: `pulumi config${stack ? ` --stack ${stack}` : ""}`,
            what: "printed something that is not JSON",
            hint: "check the Pulumi CLI's version and the stack, or give --endpoint and BRAZE_REST_API_KEY",
          }),
        );
      }
      const values: Record<string, string> = {};
      for (const key of ["braze:restEndpoint", "braze:apiKey"]) {
        const value = parsed?.[key]?.value;
        if (typeof value === "string") values[key] = value;
      }
      resolve(values);
    });
  });
}
