// Deterministic users: the attributes of test/harness/personas.ts, copied so the prototype runs outside the repository.
// PV_CHANGE=i,j changes those users' first_name; PV_ADD / PV_REMOVE add one user and remove user 1.
const crypto = require("node:crypto");
exports.key = (i) => `qa/user-${String(i).padStart(6, "0")}`;
exports.users = function users(n, change, add, remove) {
  const out = {};
  for (let i = 0; i < n + (add ? 1 : 0); i++) {
    if (remove && i === 1) continue;
    const u = {
      attributes: {
        first_name: change.includes(i) ? "Changed" : `Persona ${i}`,
        email: `persona-${i}@example.com`,
        plan: ["free", "trial", "pro"][i % 3],
        seats: (i % 7) + 1,
        beta_features: i % 2 === 0 ? ["dark-mode", "exports"] : ["exports"],
        loyalty: { tier: ["bronze", "silver", "gold"][i % 3], points: i * 10 },
      },
      subscription_groups: { "group-newsletter": i % 2 === 0 ? "subscribed" : "unsubscribed", "group-offers": "subscribed" },
    };
    out[exports.key(i)] = JSON.stringify(u);
  }
  return out;
};
exports.shardOf = (key, count) => crypto.createHash("sha1").update(key).digest().readUInt32BE(0) % count;
// yaml: "---\n" + `key: {json}` lines (decodable: the engine shows it parsed);
// jsonl: `key<TAB>{json}` lines (not a YAML mapping: the engine shows a line diff).
exports.shardName = (key, count) => String(exports.shardOf(key, count)).padStart(String(count - 1).length, "0");
exports.shards = function shards(texts, count, format) {
  const lists = new Map();
  for (const key of Object.keys(texts).sort()) {
    const s = String(exports.shardOf(key, count)).padStart(String(count - 1).length, "0");
    if (!lists.has(s)) lists.set(s, []);
    lists.get(s).push(format === "yaml" ? `${key}: ${texts[key]}` : `${key}\t${texts[key]}`);
  }
  const out = {};
  for (const s of [...lists.keys()].sort()) out[s] = (format === "yaml" ? "---\n" : "") + lists.get(s).join("\n");
  return out;
};
exports.parseShard = (text) => {
  const out = {};
  for (const line of text.split("\n")) {
    if (line === "---" || line === "") continue;
    const tab = line.indexOf("\t");
    const at = tab >= 0 ? tab : line.indexOf(": ");
    out[line.slice(0, at)] = line.slice(at + (tab >= 0 ? 1 : 2));
  }
  return out;
};
