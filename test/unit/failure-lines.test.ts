import { suite } from "uvu";
import * as assert from "uvu/assert";
import { failureLines } from "../../provider/runtime/failure-lines";

const Lines = suite("failureLines: one line per cause of a partly failed send");

const down = "http://127.0.0.1:9: cannot reach Braze (ECONNREFUSED); check braze:restEndpoint";

Lines("users failed for one cause are one line counting and naming the first of them", () => {
  const failures = Array.from({ length: 25 }, (_, index) => ({ key: `qa/u${index}`, message: down, rejected: false }));
  assert.equal(failureLines(failures, 20), [`25 users (users["qa/u0"], users["qa/u1"], users["qa/u2"] and 22 more): ${down}`]);
});

Lines("distinct causes keep their order; two users of one cause are both named", () => {
  const failures = [
    { key: "qa/ada", message: "refused: dob", rejected: true },
    { key: "qa/bob", message: "lost", rejected: false },
    { key: "qa/cy", message: "lost", rejected: false },
  ];
  assert.equal(failureLines(failures, 20), ['users["qa/ada"]: refused: dob', '2 users (users["qa/bob"], users["qa/cy"]): lost']);
});

Lines("lines past the cap are counted", () => {
  const failures = ["a", "b", "c"].map((name) => ({ key: `qa/${name}`, message: `cause ${name}`, rejected: true }));
  assert.equal(failureLines(failures, 2), ['users["qa/a"]: cause a', 'users["qa/b"]: cause b', `… and 1 more (see the set's "pending" output)`]);
});

Lines.run();
