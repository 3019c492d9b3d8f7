// After a program declares its sets, one full collection gives the read file's
// memory back (provider/program-memory.ts): once per burst of declarations,
// after the declaring code, and only where Node exposes gc().
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { collectAfterDeclaring } from "../../provider/program-memory";

const ProgramMemory = suite("program memory");
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const global = globalThis as { gc?: () => void };

ProgramMemory("collects once after the code that declared several sets, not during it", async () => {
  const exposed = global.gc;
  let collections = 0;
  global.gc = () => void (collections += 1);
  try {
    collectAfterDeclaring();
    collectAfterDeclaring();
    assert.is(collections, 0, "not while the program is still declaring");
    await nextTurn();
    assert.is(collections, 1);
    collectAfterDeclaring();
    await nextTurn();
    assert.is(collections, 2, "a later declaration collects again");
  } finally {
    global.gc = exposed;
  }
});

ProgramMemory("where Node does not expose gc() it schedules nothing, and a later program that exposes it still collects", async () => {
  const exposed = global.gc;
  delete global.gc;
  try {
    collectAfterDeclaring();
    let collections = 0;
    global.gc = () => void (collections += 1);
    await nextTurn();
    assert.is(collections, 0, "nothing was scheduled without gc()");
    collectAfterDeclaring();
    await nextTurn();
    assert.is(collections, 1);
  } finally {
    global.gc = exposed;
  }
});

/**
 * Loads `file` in a child process with gc() exposed, drops what it returned,
 * collects, and answers how many strings of the heap (from a heap snapshot)
 * still hold the file's whole text. Without concurrent recompilation: a
 * compiler job still running in the background may hold a loader's local
 * values a moment longer, which is no leak.
 */
function copiesOfTheTextLeftAfterLoading(file: string): number {
  const loader = path.resolve(__dirname, "../../provider/desired-state");
  const script = `
    const v8 = require("node:v8"), fs = require("node:fs");
    const users = require(${JSON.stringify(loader)}).loadDesiredState(${JSON.stringify(file)}).users.length;
    if (users !== 2000) throw new Error("read " + users + " users");
    // On a later turn, when nothing of the loading is on the stack any more.
    setImmediate(() => {
      // V8 keeps the subject of the last regular expression run (RegExp.input): another run lets go of it.
      /x/.exec("x");
      gc();
      const snapshot = JSON.parse(fs.readFileSync(v8.writeHeapSnapshot(${JSON.stringify(path.join(path.dirname(file), "heap.heapsnapshot"))}), "utf8"));
      const fields = snapshot.snapshot.meta.node_fields, types = snapshot.snapshot.meta.node_types[0], node = snapshot.nodes;
      const type = fields.indexOf("type"), name = fields.indexOf("name"), size = fields.indexOf("self_size");
      const bytes = fs.statSync(${JSON.stringify(file)}).size, start = "intended_custom_attributes: [emial";
      let copies = 0;
      for (let at = 0; at < node.length; at += fields.length) {
        if (types[node[at + type]] === "string" && node[at + size] >= bytes && snapshot.strings[node[at + name]].startsWith(start)) copies += 1;
      }
      process.stdout.write(String(copies));
    });`;
  return Number(execFileSync(process.execPath, ["--expose-gc", "--no-concurrent-recompilation", "-e", script], { encoding: "utf8" }));
}

ProgramMemory("a read file's text is not kept once its users are dropped: the caches of time zones and attribute names keep names of their own", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-memory-"));
  try {
    const file = path.join(dir, "users.yaml");
    const users = Array.from({ length: 2000 }, (_, index) =>
      [
        `  - alias: {label: memory-test, name: persona-${index}}`,
        "    attributes:",
        `      time_zone: ${["America/New_York", "Europe/London", "Asia/Kolkata"][index % 3]}`,
        `      favourite_programme_genre_of_the_week: drama-${index}`,
        `      emial_address_confirmed: ${index % 2 === 0}`,
      ].join("\n"),
    );
    fs.writeFileSync(file, `intended_custom_attributes: [emial_address_confirmed]\nusers:\n${users.join("\n")}\n`);
    assert.is(copiesOfTheTextLeftAfterLoading(file), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

ProgramMemory.run();
