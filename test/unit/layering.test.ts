// The provider must not depend on braze-local (the test peer): a provider-only
// install has no SQLite store, and a shared reading of Braze's rules would make
// every end-to-end test compare one reading with itself. braze-facts/ holds the
// plain facts both read, and itself depends on neither.
//
// The folders are layers: no two import each other, even through others, so
// each can be read and changed knowing only the folders below it. The plan
// command reaches the provider only through provider/plan-api.ts (and the
// import command through provider/import-api.ts), so what it
// counts is what the provider does.
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
  const patterns = [
    /\bfrom\s+["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
    /^\s*import\s+["']([^"']+)["']/gm,
  ];
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

/** The folder a file belongs to as a layer: a top-level folder, or provider/<folder>; files at a folder's top belong to it. */
function layerOf(file: string): string {
  const parts = path.relative(root, file).split(path.sep);
  if (parts.length === 1) return ".";
  if (parts[0] === "provider" && parts.length > 2) return `provider/${parts[1]}`;
  return parts[0];
}

/** The file a relative specifier names: a folder stands for its index. */
function resolved(file: string, specifier: string): string {
  const target = path.resolve(path.dirname(file), specifier);
  return fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, "index.ts") : target;
}

/** Layer -> layer -> the imports that make the edge (`file imports specifier`), over every TypeScript file of the repository. */
function layerGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  const sources = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => !["node_modules", "dist", ".git"].includes(entry.name) && !entry.name.startsWith("."))
    .flatMap((entry) => (entry.isDirectory() ? typeScriptFiles(path.join(root, entry.name)) : entry.name.endsWith(".ts") ? [path.join(root, entry.name)] : []));
  for (const file of sources) {
    for (const specifier of specifiers(fs.readFileSync(file, "utf8"))) {
      if (!specifier.startsWith(".")) continue;
      const [from, to] = [layerOf(file), layerOf(resolved(file, specifier))];
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      edges.set(to, [...(edges.get(to) ?? []), `${path.relative(root, file)} imports ${specifier}`]);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** One cycle of the graph as its nodes, first repeated last (`a -> b -> a`); undefined when it has none. */
function findCycle(graph: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const trail: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...trail.slice(trail.indexOf(node)), node];
    state.set(node, "open");
    trail.push(node);
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/** A cycle with the imports that make each of its edges, for the failure message. */
function describeCycle(graph: Map<string, Map<string, string[]>>, cycle: string[]): string {
  return cycle
    .slice(1)
    .map((to, index) => `${cycle[index]} -> ${to} (${graph.get(cycle[index])!.get(to)!.slice(0, 3).join("; ")})`)
    .join("\n");
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

Layering("errors/ (the base error class) imports nothing of the project, so every folder can use it", () => {
  assert.equal(importsInto("errors", ["provider", "server", "plan", "braze-facts", "automation", "program", "test", "bench", "schema"]), []);
});

Layering("the package's public entry point reaches no server/ module", () => {
  const source = fs.readFileSync(path.join(root, "index.ts"), "utf8");
  assert.equal(
    specifiers(source).filter((specifier) => specifier.startsWith("./server")),
    [],
  );
});

Layering("finds a cycle through three folders, and none in a layered graph, so the check below can fail", () => {
  const edges = (pairs: Array<[string, string]>) => {
    const graph = new Map<string, Map<string, string[]>>();
    for (const [from, to] of pairs) graph.set(from, (graph.get(from) ?? new Map()).set(to, []));
    return graph;
  };
  assert.equal(
    findCycle(
      edges([
        ["plan", "provider/delta"],
        ["provider/delta", "provider/model"],
        ["provider/model", "plan"],
      ]),
    ),
    ["plan", "provider/delta", "provider/model", "plan"],
  );
  assert.equal(
    findCycle(
      edges([
        ["plan", "provider/delta"],
        ["provider/delta", "provider/model"],
        ["plan", "provider/model"],
      ]),
    ),
    undefined,
  );
});

Layering("sees the layers a file belongs to and the index a folder import names", () => {
  assert.equal(layerOf(path.join(root, "provider/delta/plan-set.ts")), "provider/delta");
  assert.equal(layerOf(path.join(root, "provider/plan-api.ts")), "provider");
  assert.equal(layerOf(path.join(root, "plan/cli.ts")), "plan");
  assert.equal(layerOf(resolved(path.join(root, "provider/runtime/user-provider.ts"), "../delta")), "provider/delta");
  assert.ok(layerGraph().get("provider/delta")?.has("provider/model"), "the graph holds delta's imports of the model");
});

Layering("no folder imports itself back through others (top-level folders, and the folders of provider/)", () => {
  const graph = layerGraph();
  const cycle = findCycle(graph);
  assert.ok(cycle === undefined, cycle && `the folders import each other in a cycle:\n${describeCycle(graph, cycle)}`);
});

Layering("the model imports nothing of the rest of the provider", () => {
  const model = layerGraph().get("provider/model") ?? new Map<string, string[]>();
  assert.equal([...model.values()].flat(), []);
});

/** `file imports specifier` for every import of `folder`'s files into provider/ other than through `facade`. */
function providerImportsBesides(folder: string, facade: string): string[] {
  const offending: string[] = [];
  for (const file of typeScriptFiles(path.join(root, folder))) {
    for (const specifier of specifiers(fs.readFileSync(file, "utf8"))) {
      if (!specifier.startsWith(".")) continue;
      const target = path.relative(root, path.resolve(path.dirname(file), specifier));
      if (target.split(path.sep)[0] === "provider" && target !== path.join("provider", facade))
        offending.push(`${path.relative(root, file)} imports ${specifier}`);
    }
  }
  return offending;
}

Layering("plan/ reaches the provider only through provider/plan-api.ts", () => {
  assert.equal(providerImportsBesides("plan", "plan-api"), []);
});

Layering("import/ reaches the provider only through provider/import-api.ts, and imports nothing of plan/ or server/", () => {
  assert.equal(providerImportsBesides("import", "import-api"), []);
  assert.equal(importsInto("import", ["plan", "server", "test", "bench"]), []);
});

Layering.run();
