// braze:maxDeletes for users deleted one Delete call at a time: at most the
// limit is admitted per run, each user once, and the refusal says how to allow it.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { RunDeletes } from "../../provider/delta";

const Deletes = suite("RunDeletes");

Deletes("admits up to braze:maxDeletes users, then refuses each further one", () => {
  const run = new RunDeletes();
  assert.is(run.admit("external_id a", { maxDeletes: 2 }), undefined);
  assert.is(run.admit("qa/b", { maxDeletes: 2 }), undefined);
  assert.is(
    run.admit("external_id c", { maxDeletes: 2 }),
    'it would delete more than 2 users in this run (2 BrazeUser deletes were let through already) and braze:maxDeletes is 2; if that is meant, allow it for this one command with "BRAZE_PROFILES_ALLOW_DELETES=<how many users> pulumi destroy" (or "pulumi up") (nothing stays set: the next run is guarded again), else restore the users in the program',
  );
  assert.is(run.admitted, 2, "a refused user is not counted");
});

Deletes("a user admitted twice (its diff, then its delete) counts once", () => {
  const run = new RunDeletes();
  assert.is(run.admit("qa/b", { maxDeletes: 1 }), undefined);
  assert.is(run.admit("qa/b", { maxDeletes: 1 }), undefined);
  assert.is(run.admitted, 1);
});

Deletes("BRAZE_PROFILES_ALLOW_DELETES raises the limit for the command, and is named in the refusal", () => {
  const run = new RunDeletes();
  assert.is(run.admit("a", { maxDeletes: 0, allowDeletes: 1 }), undefined);
  assert.match(run.admit("b", { maxDeletes: 0, allowDeletes: 1 }) ?? "", "braze:maxDeletes is 0 (BRAZE_PROFILES_ALLOW_DELETES allows 1);");
});

Deletes("braze:maxDeletes 0 refuses the first delete", () => {
  assert.ok(new RunDeletes().admit("a", { maxDeletes: 0 }));
});

Deletes.run();
