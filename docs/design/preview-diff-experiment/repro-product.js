// Reproduces issue 30 on the product: N personas, up, change one first_name, count preview lines.
const path = require("node:path");
const WT = process.env.WT || process.cwd();
const { startYamlStack } = require(path.join(WT, "dist/test/harness/yaml-stack.js"));
const { personas } = require(path.join(WT, "dist/test/harness/personas.js"));
const fs = require("node:fs");
async function preview(s, diff) {
  let out = "";
  const t0 = Date.now();
  await s.stack.stack.preview({ diff, onOutput: (t) => (out += t), color: "never" });
  return { lines: out.split("\n").length - 1, seconds: (Date.now() - t0) / 1000, out };
}
(async () => {
  const N = Number(process.argv[2] || 300);
  const s = await startYamlStack({ projectName: "repro" });
  try {
    const users = personas(N, "sets");
    s.writeUsers(users);
    await s.stack.up();
    const one = users.map((u, i) => (i === Math.floor(N / 2) ? { ...u, attributes: { ...u.attributes, first_name: "Changed" } } : u));
    s.writeUsers(one);
    const d = await preview(s, true);
    const p = await preview(s, false);
    fs.writeFileSync(`/tmp/pv/product-${N}-diff.txt`, d.out);
    fs.writeFileSync(`/tmp/pv/product-${N}-plain.txt`, p.out);
    const changeLine = d.out.split("\n").findIndex((l) => l.includes("Changed")) + 1;
    const state = await s.stack.exportState();
    console.log(JSON.stringify({ N, diffLines: d.lines, diffSeconds: d.seconds, plainLines: p.lines, plainSeconds: p.seconds, changeLine, stateBytesPerUser: Math.round(state.text.length / N) }));
  } finally {
    await s.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
