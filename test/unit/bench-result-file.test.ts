// Each benchmark run writes a file named by what it ran, so a run of some parts
// never overwrites the figures of another that docs/performance.md cites.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PARTS, resultFileName, type Part, type RunShape } from "../../bench/result-file";

const run = (parts: readonly Part[], more: Partial<RunShape> = {}): string =>
  resultFileName({
    parts: new Set(parts),
    quick: false,
    users: 1000,
    setSizes: [1000, 10000, 100000],
    eventsUsers: 10000,
    importSizes: [10000, 100000],
    ...more,
  });

test("the full run at 1,000 users is bench.json; any other selection names its parts and size", () => {
  assert.is(run(PARTS), "bench.json");
  assert.is(run(PARTS, { users: 500 }), `bench-500-${PARTS.join("-")}.json`);
  assert.is(run(["requests", "floor"]), "bench-1000-requests-floor.json");
  assert.is(run(["floor", "requests"]), "bench-1000-requests-floor.json", "in the parts' own order");
  assert.is(run(["throughput"]), "bench-1000-throughput.json");
  assert.is.not(run(["throughput"]), run(["requests", "floor"]), "a throughput run keeps the per-user series' file");
});

test("an import run alone is named by its sizes, so a tiny check never overwrites the figures of the real sizes", () => {
  assert.is(run(["import"]), "import-10000-100000.json");
  assert.is(run(["import"], { importSizes: [200] }), "import-200.json");
  assert.is(run(["import", "events"]), "bench-1000-events-import.json", "with another part, named by the parts");
});

test("a sets, shapes or events run alone is named by its sizes; a quick run by its parts", () => {
  assert.is(run(["sets"], { setSizes: [1000, 10000] }), "sets-1000-10000.json");
  assert.is(run(["shapes"], { setSizes: [100000] }), "shapes-100000.json");
  assert.is(run(["events"], { eventsUsers: 1000 }), "events-1000.json");
  assert.is(run(PARTS, { quick: true, users: 100 }), "bench-quick.json");
  assert.is(run(["sets"], { quick: true, users: 100 }), "bench-quick-sets.json");
});

test("a sets run of both identities keeps the sizes' name; one identity alone adds it, so neither overwrites the other", () => {
  assert.is(run(["sets"], { setSizes: [200], setIdentities: ["alias", "external_id"] }), "sets-200.json");
  assert.is(run(["sets"], { setSizes: [200], setIdentities: ["external_id", "alias"] }), "sets-200.json");
  assert.is(run(["sets"], { setSizes: [200], setIdentities: ["external_id"] }), "sets-200-external_id.json");
  assert.is(run(["sets"], { setSizes: [200], setIdentities: ["alias"] }), "sets-200-alias.json");
});

test.run();
