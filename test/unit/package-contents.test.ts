// What `npm pack` ships is what a user's project installs: the compiled library,
// its two commands (braze-local and braze-profiles, bins of the package, with
// what they load), the JSON Schema, the README and the docs it links to. Compiled
// tests, benchmarks, examples, the root program and source maps (whose .ts
// sources are not shipped, so a stack trace mapped through them would point at
// files the user cannot open) stay out. Reads `npm pack --dry-run --json` of the
// built tree, so it checks the `files` list of package.json as npm applies it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const root = path.resolve(__dirname, "../../..");

interface PackageJson {
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
}

/** The paths `npm pack` would put in the tarball, relative to the package root. */
function packedPaths(): string[] {
  const result = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm pack --dry-run failed (exit ${result.status}): ${result.stderr}`);
  const [pack] = JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>;
  return pack.files.map((file) => file.path).sort();
}

/** The place a shipped file belongs to: a folder of dist/ (`dist/provider`), else the file itself. */
function placeOf(file: string): string {
  const parts = file.split("/");
  if (parts[0] === "docs") return "docs";
  return parts[0] === "dist" && parts.length > 2 ? parts.slice(0, 2).join("/") : file;
}

/** Every relative require(…) of a compiled file, resolved as Node would, relative to the package root. */
function relativeRequires(file: string): string[] {
  const source = fs.readFileSync(path.join(root, file), "utf8");
  return [...source.matchAll(/\brequire\(\s*"(\.[^"]*)"\s*\)/g)].map(({ 1: specifier }) => {
    const target = path.resolve(path.dirname(path.join(root, file)), specifier);
    const found = [target, `${target}.js`, `${target}.json`, path.join(target, "index.js")].find(
      (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
    );
    return path
      .relative(root, found ?? target)
      .split(path.sep)
      .join("/");
  });
}

const Contents = suite<{ shipped: string[] }>("package contents");

Contents.before((context) => {
  if (!fs.existsSync(path.join(root, "dist", "index.js"))) throw new Error("dist/index.js is missing: run `npx tsc -p tsconfig.json` first");
  context.shipped = packedPaths();
});

Contents("ships the compiled library, braze-local, braze-profiles, the schema, the README and the docs it links to, and nothing else", ({ shipped }) => {
  assert.equal([...new Set(shipped.map(placeOf))].sort(), [
    "README.md",
    "bin/braze-local.js",
    "bin/braze-profiles.js",
    "dist/braze-facts",
    "dist/errors",
    "dist/import",
    "dist/index.d.ts",
    "dist/index.js",
    "dist/plan",
    "dist/provider",
    "dist/schema",
    "dist/server",
    "docs",
    "package.json",
    "schema/desired-state.schema.json",
  ]);
});

Contents("ships no compiled test, benchmark, example, program or automation, and no source map or TypeScript source", ({ shipped }) => {
  const unwanted = shipped.filter(
    (file) => /^dist\/(test|bench|examples|program|automation)\//.test(file) || file.endsWith(".map") || (file.endsWith(".ts") && !file.endsWith(".d.ts")),
  );
  assert.equal(unwanted, []);
});

Contents("ships every target of main, types, bin and exports", ({ shipped }) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as PackageJson;
  const exportTargets = Object.values(pkg.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target)));
  const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin), ...exportTargets].map((target) => path.posix.normalize(target));
  assert.equal(
    targets.filter((target) => !shipped.includes(target)),
    [],
  );
});

Contents("every module a shipped file requires is shipped too", ({ shipped }) => {
  assert.ok(relativeRequires("bin/braze-local.js").includes("dist/server/cli.js"), "the require scan finds what braze-local loads");
  assert.ok(relativeRequires("bin/braze-profiles.js").includes("dist/plan/cli.js"), "the require scan finds what braze-profiles loads");
  const missing = shipped
    .filter((file) => file.endsWith(".js"))
    .flatMap((file) => relativeRequires(file).map((target) => ({ file, target })))
    .filter(({ target }) => !shipped.includes(target))
    .map(({ file, target }) => `${file} requires ${target}`);
  assert.equal(missing, []);
});

Contents.run();
