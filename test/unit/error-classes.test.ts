// Every error the product raises to its user is a BrazeProfilesError, so every
// message has one shape (`<where>: <what>; <what to do>`). A plain `Error` is
// kept for bugs only (broken invariants, exhaustive switches' `never`), and each
// site of one is listed below with why, so a new one fails here until it is a
// subclass or listed.
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BrazeProfilesError, composeMessage } from "../../errors/braze-profiles-error";

const root = path.resolve(__dirname, "../../..");

/** The folders of the product: what ships, and what runs a user's program. bench/, test/ and examples/ are not. */
const PRODUCT = ["automation", "braze-facts", "errors", "import", "plan", "program", "provider", "server", "index.ts"];

/** Classes that extend Error itself, by `file: class`, and why each is not a BrazeProfilesError. */
const OWN_ERROR_CLASSES: Record<string, string> = {
  "errors/braze-profiles-error.ts: BrazeProfilesError": "the base itself",
  "provider/runtime/partial-failure.ts: PartialFailure":
    "a carrier the Pulumi SDK reads by its fields; its message is the shaped message of the error that stopped the send",
  "provider/pulumi-wire/apply-sdk-patch.ts: PartlyReplaced": "an internal signal, caught in the same file and turned into a patch's skip reason",
  "server/errors/braze-api-error.ts: BrazeApiError": "an HTTP answer in Braze's own shape and words, not a message of ours",
};

/** Files with `throw new Error(`, and how many, with why each is a bug (not a user's mistake) or still to convert. */
const PLAIN_THROWS: Record<string, { count: number; why: string }> = {
  "provider/runtime/user-provider.ts": { count: 1, why: "update of a user that needs replacing: the engine replaces instead, so reaching it is a bug" },
  "provider/desired-state/validator.ts": { count: 1, why: "a schema pointer the code names that the schema lacks: a bug" },
  "provider/delta/diff-user.ts": { count: 1, why: "exhaustive switch's never" },
  "provider/delta/plan-update.ts": { count: 1, why: "an unchanged attribute reaching the send: a bug" },
  "provider/delta/set-sends.ts": { count: 1, why: "exhaustive switch's never" },
  "provider/encoding/record-codec.ts": { count: 1, why: "caught by decodeRecord, which reports it as a RecordUnreadableError" },
  "provider/pulumi-wire/uncopied-messages.ts": { count: 1, why: "mirrors the check grpc-js makes on a response's type: a bug in the patch" },
  "provider/pulumi-wire/apply-sdk-patch.ts": { count: 1, why: "caught in the same function, which undoes the patch" },
  "plan/plan-report.ts": { count: 1, why: "exhaustive switch's never" },
  "import/requested-user.ts": { count: 1, why: "exhaustive switch's never" },
  "server/identifiers.ts": { count: 1, why: "exhaustive switch's never" },
  "server/users/resolve-user.ts": { count: 4, why: "exhaustive switches' never, and a braze_id reaching user creation (validated before): bugs" },
  "server/track/attributes-object.ts": { count: 1, why: "exhaustive switch's never" },
  "server/track/apply-attributes.ts": { count: 5, why: "operations the request's validation has already refused, and a never: bugs" },
  "provider/delta/change-parts.ts": { count: 1, why: "exhaustive switch's never" },
  "provider/delta/part-text.ts": { count: 1, why: "exhaustive switch's never" },
  "server/store/workspace-store.ts": { count: 1, why: "renaming a user without an external_id, which the endpoint refuses before: a bug" },
};

function typeScriptFiles(entry: string): string[] {
  const full = path.join(root, entry);
  if (!fs.statSync(full).isDirectory()) return entry.endsWith(".ts") ? [entry] : [];
  return fs.readdirSync(full).flatMap((name) => typeScriptFiles(path.join(entry, name)));
}

/** The classes a source declares as extending Error (or one of its built-in kinds) itself. */
function ownErrorClasses(source: string): string[] {
  return [...source.matchAll(/\bclass\s+(\w+)(?:\s*<[^{]*?>)?\s+extends\s+(?:Error|TypeError|RangeError|SyntaxError)\b/g)].map((match) => match[1]);
}

/** How many times a source throws a plain Error (with or without `new`). */
function plainThrows(source: string): number {
  return [...source.matchAll(/\bthrow\s+(?:new\s+)?Error\s*\(/g)].length;
}

/** Per product file: its own Error classes and its plain throws. */
function scan(): { classes: string[]; throws: Record<string, number> } {
  const classes: string[] = [];
  const throws: Record<string, number> = {};
  for (const file of PRODUCT.flatMap(typeScriptFiles)) {
    const source = fs.readFileSync(path.join(root, file), "utf8");
    const name = file.split(path.sep).join("/");
    classes.push(...ownErrorClasses(source).map((found) => `${name}: ${found}`));
    const count = plainThrows(source);
    if (count > 0) throws[name] = count;
  }
  return { classes: classes.sort(), throws };
}

const Errors = suite("error classes");

Errors("finds a class extending Error and a plain throw, so the checks below can fail", () => {
  const source =
    'class A extends Error {}\nexport class B<P extends object = Record<string, unknown>> extends TypeError {}\nclass C extends BrazeProfilesError {}\nif (x) throw new Error("a");\nthrow Error(`b`);\nthrow new ErrorLike();';
  assert.equal(ownErrorClasses(source), ["A", "B"]);
  assert.is(plainThrows(source), 2);
  assert.ok(Object.keys(scan().throws).length > 0, "the scan reads the product's files");
});

Errors("no error class extends Error except the base and the listed carriers", () => {
  assert.equal(scan().classes, Object.keys(OWN_ERROR_CLASSES).sort());
});

Errors("plain `throw new Error(` only at the listed sites, as many as listed", () => {
  const expected = Object.fromEntries(Object.entries(PLAIN_THROWS).map(([file, { count }]) => [file, count]));
  assert.equal(scan().throws, expected);
});

Errors("a message is `<where>: <what>; <what to do>`, then one line per detail; the parts stay in fields", () => {
  class Example extends BrazeProfilesError {
    override readonly name = "Example";
  }
  const cause = new Error("inner");
  const error = new Example({ where: "users.yaml", what: "2 problems", hint: "fix them", details: ["users[0]: a", "users[1]: b"], cause });
  assert.is(error.message, "users.yaml: 2 problems; fix them\nusers[0]: a\nusers[1]: b");
  assert.equal(
    [error.name, error.where, error.what, error.hint, error.details, error.cause],
    ["Example", "users.yaml", "2 problems", "fix them", ["users[0]: a", "users[1]: b"], cause],
  );
  assert.instance(error, Error);
  assert.is(composeMessage({ where: "braze:apiKey", what: "missing" }), "braze:apiKey: missing");
  assert.not.ok("cause" in new Example({ where: "w", what: "x" }), "no cause when none is given");
});

Errors.run();
