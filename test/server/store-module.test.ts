// better-sqlite3 is optional (a provider-only install needs no C/C++ toolchain):
// braze-local loads it when it opens a workspace and says how to install it.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { StoreUnavailableError } from "../../server/errors/store-unavailable-error";
import { sqliteModule } from "../../server/store/sqlite-module";

const Store = suite("braze-local's store module");

Store("a missing better-sqlite3 gives a StoreUnavailableError that says how to install it", () => {
  const missing = Object.assign(new Error("Cannot find module 'better-sqlite3'\nRequire stack: …"), { code: "MODULE_NOT_FOUND" });
  let thrown: unknown;
  try {
    sqliteModule(() => {
      throw missing;
    });
  } catch (error) {
    thrown = error;
  }
  assert.instance(thrown, StoreUnavailableError);
  const error = thrown as StoreUnavailableError;
  assert.is(error.name, "StoreUnavailableError");
  assert.is(error.cause, missing);
  assert.is(
    error.message,
    "braze-local: its workspace store needs better-sqlite3, and it could not be loaded (Cannot find module 'better-sqlite3'); " +
      'install it next to this package with "npm install better-sqlite3" (a prebuilt binary is used where one fits the platform; ' +
      "otherwise it builds from source, which needs Python and a C/C++ toolchain). The provider alone does not need it",
  );
});

Store("better-sqlite3 is an optional dependency, so installing the package does not fail without a toolchain", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const manifest = require("../../../package.json") as Record<string, Record<string, string> | undefined>;
  assert.ok(manifest.optionalDependencies?.["better-sqlite3"], "listed under optionalDependencies");
  assert.is(manifest.dependencies?.["better-sqlite3"], undefined, "not a required dependency");
});

Store("the installed better-sqlite3 loads", () => {
  assert.type(sqliteModule(), "function");
});

Store.run();
