// The command line of `braze-profiles import`, parsed and checked. Pure: the
// arguments in, the options or an ImportError (usage: exit code 2) out.
import { parseArgs } from "node:util";
import { ImportError } from "./import-error";
import type { RequestedUser } from "./requested-user";

/** One input list: which identifier it holds, and the file (`-` for standard input). */
export interface InputList {
  kind: RequestedUser["kind"];
  file: string;
  /** The option that named it, for messages. */
  option: string;
}

export interface ImportOptions {
  inputs: InputList[];
  /** Where the desired-state file goes; undefined for standard output. */
  out?: string;
  /** Skip the users an interrupted run with the same --out already read. */
  resume: boolean;
  /** The REST endpoint; when undefined, the stack's braze:restEndpoint. */
  endpoint?: string;
  stack?: string;
  cwd?: string;
  help: boolean;
}

const LIST_OPTIONS: ReadonlyArray<[option: string, kind: RequestedUser["kind"]]> = [
  ["external-ids", "external_id"],
  ["aliases", "alias"],
  ["emails", "email"],
  ["phones", "phone"],
];

export function parseImportArgs(args: readonly string[]): ImportOptions {
  let parsed: ReturnType<typeof parseWith>;
  try {
    parsed = parseWith(args);
  } catch (error) {
    throw new ImportError({ where: "braze-profiles import", what: (error as Error).message, hint: "see braze-profiles import --help", usage: true });
  }
  const { values, tokens } = parsed;
  if (values.help) return { inputs: [], resume: false, help: true };
  // In the order given, so that the file keeps the order of the command line.
  const inputs: InputList[] = (tokens ?? []).flatMap((token) => {
    if (token.kind !== "option") return [];
    const kind = LIST_OPTIONS.find(([option]) => option === token.name)?.[1];
    return kind && token.value !== undefined ? [{ kind, file: token.value, option: `--${token.name}` }] : [];
  });
  if (inputs.length === 0) {
    throw new ImportError({
      where: "braze-profiles import",
      what: "no users to read",
      hint: "give at least one of --external-ids, --aliases, --emails, --phones (a file, or - for standard input)",
      usage: true,
    });
  }
  if (inputs.filter((input) => input.file === "-").length > 1) {
    throw new ImportError({
      where: "braze-profiles import",
      what: "standard input (-) is named by more than one list",
      hint: "give at most one list as -",
      usage: true,
    });
  }
  if (values.resume && values.out === undefined) {
    throw new ImportError({
      where: "braze-profiles import --resume",
      what: "needs --out",
      hint: "the progress is kept beside the output file (<out>.import-progress): rerun with the same --out FILE",
      usage: true,
    });
  }
  return {
    inputs,
    out: values.out === "-" ? undefined : values.out,
    resume: values.resume === true,
    endpoint: values.endpoint,
    stack: values.stack,
    cwd: values.cwd,
    help: false,
  };
}

function parseWith(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      "external-ids": { type: "string", multiple: true },
      aliases: { type: "string", multiple: true },
      emails: { type: "string", multiple: true },
      phones: { type: "string", multiple: true },
      out: { type: "string", short: "o" },
      resume: { type: "boolean" },
      endpoint: { type: "string" },
      stack: { type: "string", short: "s" },
      cwd: { type: "string", short: "C" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
    tokens: true,
  });
}
