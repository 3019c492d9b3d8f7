// Loads better-sqlite3 only when braze-local opens a workspace. It is an
// optional dependency: the provider never loads it, and an install without it
// (no prebuilt binary and no C/C++ toolchain) still serves the provider.
import type BetterSqlite3 from "better-sqlite3";
import { StoreUnavailableError } from "../errors/store-unavailable-error";

export type SqliteModule = typeof BetterSqlite3;

let loaded: SqliteModule | undefined;

/** better-sqlite3's Database constructor; throws StoreUnavailableError saying how to install it. `load` is replaceable for tests. */
export function sqliteModule(load: (name: string) => unknown = require): SqliteModule {
  if (loaded && load === require) return loaded;
  let module: SqliteModule;
  try {
    module = load("better-sqlite3") as SqliteModule;
  } catch (error) {
    throw new StoreUnavailableError(error);
  }
  if (load === require) loaded = module;
  return module;
}
