// `braze-local [options]`: starts the server and prints exactly one line to
// stdout when ready ("braze-local listening on http://HOST:PORT"); logs go to
// stderr. `main` takes argv so it can be tested without a process.
import { parseArgs } from "node:util";
import { DEVELOPMENT_API_KEY } from "./auth";
import { startBrazeLocal, type BrazeLocal } from "./index";
import {
  DEFAULT_ASYNC_MAX_DELAY_MS,
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_REQUEST_CAP,
  DEFAULT_STRING_ARRAY_MAX_ITEMS,
  type BrazeLocalOptions,
} from "./options";
import { parseRequestCapRegime, REQUEST_CAP_REGIMES } from "./track/request-caps";
import { OptionError } from "./errors/option-error";

export const USAGE = `Usage: braze-local [options]

  --host HOST              interface to listen on (default ${DEFAULT_HOST})
  --port PORT              port; 0 picks a free one (default ${DEFAULT_PORT})
  --data-dir DIR           where the workspace persists (default ./${DEFAULT_DATA_DIR})
  --api-key KEY[:PERMS]    accepted key, repeatable; PERMS is a comma list such as
                           users.track,users.export.ids (default: all user-data permissions).
                           Without any, the development key "${DEVELOPMENT_API_KEY}" is accepted.
  --request-cap REGIME     objects one /users/track request may carry: ${REQUEST_CAP_REGIMES.join(", ")}
                           (legacy 75 per array; 75 across the arrays; 50 across them, Monthly
                           Active Users CY 24-25 contracts) (default ${DEFAULT_REQUEST_CAP})
  --string-array-max-items N
                           the workspace's most items per string array attribute; the oldest
                           are dropped past it (default ${DEFAULT_STRING_ARRAY_MAX_ITEMS}, Braze's current default)
  --rate-limit N/S         /users/track: N requests per S seconds per key (default 3000/3)
  --hourly-rate-limit N[:REMAINING[:RESET_SECONDS]]
                           /users/track also has an hourly window of N requests for the workspace
                           (Monthly Active Users CY 24-25), starting with REMAINING left and
                           resetting in RESET_SECONDS; its X-RateLimit-* headers describe it
  --processing MODE        immediate: /users/track is applied before it is answered (default);
                           async: answered at once, applied later, in a shuffled order
  --processing-max-delay MS
                           async: longest delay before a request is applied (default ${DEFAULT_ASYNC_MAX_DELAY_MS})
  --processing-seed N      async: seed for repeatable delays (default 1)
  --export-rate-limit N/S  /users/export/ids, likewise (default 250/60)
  --identity-rate-limit N/S
                           /users/delete, /users/alias/new, /users/alias/update and
                           /users/identify together, likewise (default 20000/60)
  --fault-429 P            probability of answering 429 (0-1)
  --fault-5xx P            probability of answering 502/503/504 (0-1)
  --fault-reset P          probability of dropping the connection (0-1)
  --fault-seed N           seed for repeatable faults (default 1)
  --fault-reject-attribute KEY
                           refuse every value of custom attribute KEY, as Braze refuses an
                           invalid one (a nested value drops the request's nested updates); repeatable
  --latency MS|MIN-MAX     added latency per API request, in milliseconds
  --help                   this text
`;

/** Reads argv (without node and the script) into options; throws on anything it does not understand. */
export function parseCliArgs(argv: readonly string[]): BrazeLocalOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: "string" },
      port: { type: "string" },
      "data-dir": { type: "string" },
      "api-key": { type: "string", multiple: true },
      "request-cap": { type: "string" },
      "string-array-max-items": { type: "string" },
      "rate-limit": { type: "string" },
      "hourly-rate-limit": { type: "string" },
      processing: { type: "string" },
      "processing-max-delay": { type: "string" },
      "processing-seed": { type: "string" },
      "export-rate-limit": { type: "string" },
      "identity-rate-limit": { type: "string" },
      "fault-429": { type: "string" },
      "fault-5xx": { type: "string" },
      "fault-reset": { type: "string" },
      "fault-seed": { type: "string" },
      "fault-reject-attribute": { type: "string", multiple: true },
      latency: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return "help";
  const integer = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new OptionError(`--${name}`, `must be a whole number, got "${text}"`);
    return Number(text);
  };
  const probability = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === "" || !(value >= 0 && value <= 1)) throw new OptionError(`--${name}`, `must be a probability from 0 to 1, got "${text}"`);
    return value;
  };
  return {
    host: values.host,
    port: integer("port", values.port),
    dataDir: values["data-dir"],
    apiKeys: values["api-key"],
    requestCap: values["request-cap"] === undefined ? undefined : parseRequestCapRegime(values["request-cap"]),
    stringArrayMaxItems: integer("string-array-max-items", values["string-array-max-items"]),
    rateLimit: values["rate-limit"],
    hourlyRateLimit: values["hourly-rate-limit"],
    processing: processingMode(values.processing),
    asyncMaxDelayMs: integer("processing-max-delay", values["processing-max-delay"]),
    asyncSeed: integer("processing-seed", values["processing-seed"]),
    exportRateLimit: values["export-rate-limit"],
    identityRateLimit: values["identity-rate-limit"],
    faults: {
      rate429: probability("fault-429", values["fault-429"]),
      rate5xx: probability("fault-5xx", values["fault-5xx"]),
      rateReset: probability("fault-reset", values["fault-reset"]),
      seed: integer("fault-seed", values["fault-seed"]),
      rejectAttributes: values["fault-reject-attribute"],
    },
    latency: values.latency,
  };
}

function processingMode(text: string | undefined): BrazeLocalOptions["processing"] {
  if (text === undefined || text === "immediate" || text === "async") return text;
  throw new OptionError("--processing", `must be "immediate" or "async", got "${text}"`);
}

export async function main(argv: readonly string[]): Promise<BrazeLocal | undefined> {
  let options: BrazeLocalOptions | "help";
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    process.stderr.write(`braze-local: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return undefined;
  }
  if (options === "help") {
    process.stdout.write(USAGE);
    return undefined;
  }
  const server = await startBrazeLocal(options);
  if (!options.apiKeys?.length) {
    process.stderr.write(`braze-local: no --api-key given; accepting the development key "${DEVELOPMENT_API_KEY}" with every user-data permission\n`);
  }
  process.stderr.write(`braze-local: workspace in ${server.dataDir}\n`);
  process.stdout.write(`braze-local listening on ${server.url}\n`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return server;
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`braze-local: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
