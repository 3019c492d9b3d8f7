// Which file under bench/results/ a run writes. Named by what was run, so a run
// of some parts or sizes never overwrites the figures of another that the
// docs/performance.md cites.
import { PERSONA_IDENTITIES, type PersonaIdentity } from "./personas";

/** Every part of the benchmarks, in the order they run. */
export const PARTS = ["requests", "floor", "skip-checkpoints", "sweep", "baselines", "throughput", "sets", "shapes", "events", "import"] as const;
export type Part = (typeof PARTS)[number];

/** The per-user parts' default size: the full run at this size is bench.json. */
export const DEFAULT_USERS = 1000;

export interface RunShape {
  parts: ReadonlySet<Part>;
  quick: boolean;
  users: number;
  setSizes: readonly number[];
  /** How the sets series' personas are identified: both by default (each size runs an alias and an identified series). */
  setIdentities?: readonly PersonaIdentity[];
  eventsUsers: number;
  /** Users per import series. */
  importSizes: readonly number[];
}

export function resultFileName(run: RunShape): string {
  const ran = PARTS.filter((part) => run.parts.has(part));
  const all = ran.length === PARTS.length;
  const only = (part: Part) => ran.length === 1 && ran[0] === part;
  if (run.quick) return all ? "bench-quick.json" : `bench-quick-${ran.join("-")}.json`;
  if (only("sets")) return `sets-${run.setSizes.join("-")}${identitySuffix(run.setIdentities)}.json`;
  if (only("shapes")) return `shapes-${run.setSizes.join("-")}.json`;
  if (only("events")) return `events-${run.eventsUsers}.json`;
  if (only("import")) return `import-${run.importSizes.join("-")}.json`;
  return all && run.users === DEFAULT_USERS ? "bench.json" : `bench-${run.users}-${ran.join("-")}.json`;
}

/** Nothing when the sets series ran for both identities (the default), else `-alias` or `-external_id`. */
function identitySuffix(identities: readonly PersonaIdentity[] = PERSONA_IDENTITIES): string {
  return PERSONA_IDENTITIES.every((identity) => identities.includes(identity)) ? "" : `-${identities.join("-")}`;
}
