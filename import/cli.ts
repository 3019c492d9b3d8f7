// `braze-profiles import`: writes a desired-state file from users Braze already
// holds, each marked `adopt: true`. Reads them with /users/export/ids, paced by
// the endpoint's rate limit, then each found user's subscription groups with
// GET /subscription/user/status (one user per request: its answer does not say
// whose groups it lists), for identified, email-only and phone-only users; an
// alias-only user's cannot be read (that endpoint takes no alias). Keeps its
// progress beside --out so that --resume does not read a user twice. plan/cli.ts hands the `import` command here.
import * as fs from "node:fs";
import { BrazeProfilesError } from "../errors/braze-profiles-error";
import {
  BrazeClient,
  BrazeUsersApi,
  exportByContact,
  type ExportedUser,
  IDENTIFIERS_PER_REQUEST,
  readUserGroups,
  type UserIdentifier,
} from "../provider/import-api";
import { parseImportArgs } from "./import-args";
import { ImportError } from "./import-error";
import { appendProgress, type BatchOutcome, progressFileOf, readProgress } from "./import-progress";
import { activityCounts, desiredStateText, FIELDS_TO_EXPORT, groupReaderOf, type ImportedGroups } from "./profile-document";
import { progressDrawer } from "./progress-line";
import { distinctRequests, type RequestedUser, requestKey, requestsOfLines } from "./requested-user";
import { brazeTarget } from "./stack-config";

export const EXIT_ALL_FOUND = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_SOME_NOT_FOUND = 3;

export const IMPORT_USAGE = `Usage: braze-profiles import [--external-ids FILE] [--aliases FILE] [--emails FILE] [--phones FILE]
                              [--out FILE] [--resume] [--endpoint URL] [--stack NAME] [--cwd DIR]

Writes a desired-state file (docs/desired-state.md) from users Braze already holds,
each with "adopt: true", so that the next "pulumi up" reads them first and sends
only differences.

Which users: one a line, "-" for standard input, blank lines ignored; several lists may be given.
  --external-ids FILE   external_ids
  --aliases FILE        aliases, as label,name
  --emails FILE         email addresses (a user is read only if one profile holds it)
  --phones FILE         phone numbers in E.164 (+15555550100), likewise
Braze has no endpoint that lists users: take the list from a segment's CSV export
(dashboard: Segments > the segment > User Data > CSV Export User Data) or from
POST /users/export/segment.

Where:
  --endpoint URL        Braze's REST endpoint (e.g. https://rest.iad-01.braze.com, or a
                        braze-local at http://127.0.0.1:4011); the key is read from
                        BRAZE_REST_API_KEY (needs users.export.ids and
                        subscription.groups.get; never printed).
                        Without --endpoint: the stack's braze:restEndpoint and braze:apiKey
                        ("pulumi config", in --cwd or the current folder, for --stack).
Output:
  --out FILE            the file to write (default: standard output)
  --resume              after an interrupted run with the same --out: read only the
                        users it had not read yet (its progress is in FILE.import-progress)

Reads 50 external_ids or aliases per request and one email or phone per request
(Braze's rule), paced by the endpoint's rate limit (250 requests a minute on newer
workspaces), then each user's subscription groups, one user per request
(GET /subscription/user/status; not for alias-only users, which it cannot name). A progress line on standard error shows users read and time left (on a
terminal only). Users not found, and emails or phones several profiles hold, are
listed on standard error and left out; events and purchases are counted, not
declared (Braze exports counts only).

Exit code: 0 every user was found, 3 some were not (or were ambiguous),
2 usage error (options, input files), 1 Braze or the stack could not be read.
`;

export interface ImportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (the progress line is drawn only then). @default false */
  stderrIsTTY?: boolean;
  /** Standard input's text, for lists given as "-". @default reads process.stdin */
  readStdin?: () => Promise<string>;
  /** Injected for tests. */
  fetch?: typeof fetch;
}

/** Runs `braze-profiles import <args>`; resolves to the exit code. */
export async function runImport(args: readonly string[], io: ImportIo): Promise<number> {
  try {
    return await importUsers(args, io);
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    io.stderr(`braze-profiles import: ${error.message}\n`);
    return error.usage ? EXIT_USAGE : EXIT_FAILED;
  }
}

async function importUsers(args: readonly string[], io: ImportIo): Promise<number> {
  const options = parseImportArgs(args);
  if (options.help) {
    io.stdout(IMPORT_USAGE);
    return EXIT_ALL_FOUND;
  }
  const requests = distinctRequests(
    (await Promise.all(options.inputs.map(async (input) => requestsOfLines(input.kind, await readList(input.file, io), input.file)))).flat(),
  );
  const target = await brazeTarget({ endpoint: options.endpoint, stack: options.stack, cwd: options.cwd, env: io.env });

  const progressFile = options.out === undefined ? undefined : progressFileOf(options.out);
  const earlier = progressFile && options.resume ? readProgress(progressFile) : [];
  // A fresh start, or the finished batches alone (a line a kill cut short is dropped before more are appended).
  if (progressFile) fs.writeFileSync(progressFile, earlier.map((batch) => `${JSON.stringify(batch)}\n`).join(""));
  const batches: BatchOutcome[] = [...earlier];
  const done = new Set(
    earlier.flatMap((batch) => [...batch.found.map((entry) => entry.request), ...batch.missing, ...batch.ambiguous.map((entry) => entry.request)]),
  );
  const todo = requests.filter((request) => !done.has(requestKey(request)));

  const client = new BrazeClient({ endpoint: target.endpoint, apiKey: target.apiKey, fetch: io.fetch, notice: (line) => io.stderr(`${line}\n`) });
  const api = new BrazeUsersApi(client, { maxObjectsPerRequest: IDENTIFIERS_PER_REQUEST });
  const progress = progressDrawer(io.stderr, io.stderrIsTTY === true);
  let readThisRun = 0;
  progress.draw(requests.length - todo.length, requests.length, 0);
  try {
    for (const batch of batchesOf(todo)) {
      const outcome = await readBatch(api, client, batch);
      if (progressFile) appendProgress(progressFile, outcome);
      batches.push(outcome);
      readThisRun += batch.length;
      progress.draw(requests.length - todo.length + readThisRun, requests.length, readThisRun);
    }
  } catch (error) {
    progress.finish();
    // Braze's errors already say where (`POST /users/export/ids: 401 …`): kept as they are, with what to do next.
    throw new ImportError({
      where: error instanceof BrazeProfilesError ? error.where : "braze-profiles import",
      what: error instanceof BrazeProfilesError ? error.what : error instanceof Error ? error.message : String(error),
      hint: progressFile
        ? `run again with --resume to read only the users not read yet (progress in ${progressFile})`
        : "run again (with --out and --resume, a rerun skips the users already read)",
      cause: error,
    });
  }
  progress.finish();
  return finish(requests, batches, options.out, progressFile, io);
}

/** Writes the file in the order the users were asked for, reports what was not found, and says the exit code. */
function finish(
  requests: readonly RequestedUser[],
  batches: readonly BatchOutcome[],
  out: string | undefined,
  progressFile: string | undefined,
  io: ImportIo,
): number {
  const found = new Map(batches.flatMap((batch) => batch.found.map((entry) => [entry.request, entry] as const)));
  const missing = new Set(batches.flatMap((batch) => batch.missing));
  const ambiguous = new Map(batches.flatMap((batch) => batch.ambiguous.map((entry) => [entry.request, entry.profiles] as const)));
  // One profile asked for twice (by its external_id and its email) is written once.
  const users = new Map<string, { user: ExportedUser; groups: ImportedGroups }>();
  for (const request of requests) {
    const entry = found.get(requestKey(request));
    if (entry) users.set(profileIdentity(entry.user), { user: entry.user, groups: entry.groups });
  }
  const written = [...users.values()].map(({ user }) => user);
  const events = written.reduce((sum, user) => sum + activityCounts(user.custom_events).reduce((total, entry) => total + entry.count, 0), 0);
  const purchases = written.reduce((sum, user) => sum + activityCounts(user.purchases).reduce((total, entry) => total + entry.count, 0), 0);
  const text = desiredStateText(
    written,
    [`Written by braze-profiles import: ${written.length} users, each adopted (read first by pulumi up, then only differences sent).`],
    [...users.values()].map(({ groups }) => groups),
  );
  if (out === undefined) io.stdout(text);
  else fs.writeFileSync(out, text);
  if (progressFile) fs.rmSync(progressFile, { force: true });

  const notFound = requests.filter((request) => missing.has(requestKey(request)));
  const several = requests.filter((request) => ambiguous.has(requestKey(request)));
  for (const request of notFound) io.stderr(`braze-profiles import: not found: ${requestKey(request)}\n`);
  for (const request of several)
    io.stderr(
      `braze-profiles import: ambiguous: ${requestKey(request)} is held by ${ambiguous.get(requestKey(request))} profiles; give their external_ids or aliases instead\n`,
    );
  io.stderr(
    `braze-profiles import: wrote ${written.length} users${out ? ` to ${out}` : ""}; ${notFound.length} not found, ${several.length} ambiguous; ` +
      `Braze counts ${events} custom events and ${purchases} purchases for them, which are not declared (the export gives counts only)\n`,
  );
  return notFound.length + several.length > 0 ? EXIT_SOME_NOT_FOUND : EXIT_ALL_FOUND;
}

/** What one profile is known by, whichever request found it. */
function profileIdentity(user: ExportedUser): string {
  if (typeof user.braze_id === "string") return `braze_id ${user.braze_id}`;
  if (typeof user.external_id === "string") return `external_id ${user.external_id}`;
  const alias = user.user_aliases?.[0];
  return alias ? `alias ${alias.alias_name} (label ${alias.alias_label})` : JSON.stringify(user);
}

/** Requests as Braze takes them: up to 50 external_ids and aliases together, one email or phone alone. */
function batchesOf(requests: readonly RequestedUser[]): RequestedUser[][] {
  const byId = requests.filter((request) => request.kind === "external_id" || request.kind === "alias");
  const batches: RequestedUser[][] = [];
  for (let start = 0; start < byId.length; start += IDENTIFIERS_PER_REQUEST) batches.push(byId.slice(start, start + IDENTIFIERS_PER_REQUEST));
  for (const request of requests) if (request.kind === "email" || request.kind === "phone") batches.push([request]);
  return batches;
}

async function readBatch(api: BrazeUsersApi, client: BrazeClient, batch: readonly RequestedUser[]): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { found: [], missing: [], ambiguous: [] };
  const [first] = batch;
  if (first.kind === "email" || first.kind === "phone") {
    const users = await exportByContact(client, first.kind === "email" ? { email_address: first.email } : { phone: first.phone }, FIELDS_TO_EXPORT);
    if (users.length === 1) outcome.found.push(await withGroups(client, requestKey(first), users[0]));
    else if (users.length === 0) outcome.missing.push(requestKey(first));
    else outcome.ambiguous.push({ request: requestKey(first), profiles: users.length });
    return outcome;
  }
  const identifiers = batch.flatMap((request): UserIdentifier[] => {
    if (request.kind === "external_id") return [{ external_id: request.external_id }];
    if (request.kind === "alias") return [{ user_alias: { alias_label: request.label, alias_name: request.name } }];
    return [];
  });
  const results = await api.exportAll(identifiers, FIELDS_TO_EXPORT);
  const found: Array<Promise<BatchOutcome["found"][number]>> = [];
  for (const [index, result] of results.entries()) {
    const request = requestKey(batch[index]);
    if (!result.ok) throw result.error;
    if (result.value === undefined) outcome.missing.push(request);
    else found.push(withGroups(client, request, result.value));
  }
  // The batch's group reads go out together; the client paces them by the endpoint's limit.
  outcome.found.push(...(await Promise.all(found)));
  return outcome;
}

/** The found user with its subscription groups, read when the endpoint can name it (not an alias-only user). */
async function withGroups(client: BrazeClient, request: string, user: ExportedUser): Promise<BatchOutcome["found"][number]> {
  const who = groupReaderOf(user);
  return who ? { request, user, groups: await readUserGroups(client, who) } : { request, user };
}

async function readList(file: string, io: ImportIo): Promise<string> {
  if (file === "-") return io.readStdin ? io.readStdin() : readProcessStdin();
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ImportError({
      where: file,
      what: `cannot read the list: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      hint: "check the path",
      usage: true,
      cause: error,
    });
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
