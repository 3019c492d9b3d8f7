// The provider must not depend on braze-local (the test peer): a provider-only
// install has no SQLite store, and a shared reading of Braze's rules would make
// every end-to-end test compare one reading with itself. braze-facts/ holds the
// plain facts both read, and itself depends on neither.
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const root = path.resolve(__dirname, "../../..");

function typeScriptFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Every module specifier a file names: import/export … from, import(…), require(…). */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g, /^\s*import\s+["']([^"']+)["']/gm];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** `file:line -> specifier` for every relative import of `folder`'s files that lands in one of `forbidden` (top-level folders). */
function importsInto(folder: string, forbidden: readonly string[]): string[] {
  const offending: string[] = [];
  for (const file of typeScriptFiles(path.join(root, folder))) {
    for (const specifier of specifiers(fs.readFileSync(file, "utf8"))) {
      if (!specifier.startsWith(".")) continue;
      const target = path.relative(root, path.resolve(path.dirname(file), specifier)).split(path.sep)[0];
      if (forbidden.includes(target)) offending.push(`${path.relative(root, file)} imports ${specifier}`);
    }
  }
  return offending;
}

const Layering = suite("layering");

Layering("finds an import of ../server, so the checks below can fail", () => {
  assert.equal(specifiers('import { x } from "../../server/auth";\nconst y = require("../server");'), ["../../server/auth", "../server"]);
});

Layering("nothing under provider/ imports from server/", () => {
  assert.equal(importsInto("provider", ["server", "test", "bench"]), []);
});

Layering("braze-facts/ imports from neither provider/ nor server/", () => {
  assert.equal(importsInto("braze-facts", ["provider", "server", "test", "bench", "program"]), []);
});

Layering("the package's public entry point reaches no server/ module", () => {
  const source = fs.readFileSync(path.join(root, "index.ts"), "utf8");
  assert.equal(specifiers(source).filter((specifier) => specifier.startsWith("./server")), []);
});

Layering.run();
