// Prototype provider for the preview experiments (not product code).
const path = require("node:path");
const zlib = require("node:zlib");
const env = process.env;
const u = require("./users");
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [__dirname] }));
const sdk = (id) => require(require.resolve(id, { paths: [sdkDir] }));
const provproto = sdk("@pulumi/pulumi/proto/provider_pb");

// --- raw hooks: the dynamic provider's Diff handler calls req.getOlds() just before provider.diff
// and resp.setChanges() just after it; these two give a diff its URN and its detailed diff.
let currentUrn = "";
let pendingDetailed;
const getOlds = provproto.DiffRequest.prototype.getOlds;
provproto.DiffRequest.prototype.getOlds = function () { currentUrn = this.getUrn(); return getOlds.call(this); };
const setChanges = provproto.DiffResponse.prototype.setChanges;
provproto.DiffResponse.prototype.setChanges = function (value) {
  const detailed = pendingDetailed;
  pendingDetailed = undefined;
  if (detailed) {
    this.setHasdetaileddiff(true);
    const map = this.getDetaileddiffMap();
    for (const [p, d] of Object.entries(detailed)) {
      const pd = new provproto.PropertyDiff();
      pd.setKind(d.kind);
      pd.setInputdiff(d.inputDiff);
      map.set(p, pd);
    }
  }
  return setChanges.call(this, value);
};

let engine;
function engineLog(message) {
  if (!engine) {
    const grpc = sdk("@grpc/grpc-js");
    const { EngineClient } = sdk("@pulumi/pulumi/proto/engine_grpc_pb");
    engine = new EngineClient(process.argv[2], grpc.credentials.createInsecure());
  }
  const enginepb = sdk("@pulumi/pulumi/proto/engine_pb");
  const req = new enginepb.LogRequest();
  req.setSeverity(enginepb.LogSeverity.INFO);
  req.setMessage(message);
  req.setUrn(currentUrn);
  return new Promise((resolve) => engine.log(req, () => resolve()));
}

const usersOf = (inputs) => {
  if (inputs.users) return { byShard: { all: inputs.users }, changedShards: null };
  return null;
};
/** Changed shard names (or "all" for the map shape) between two inputs. */
function changedParts(olds, news) {
  if (news.users || olds.users) {
    const o = olds.users || {}, n = news.users || {};
    const keys = new Set([...Object.keys(o), ...Object.keys(n)]);
    return [...keys].filter((k) => o[k] !== n[k]).map((k) => ["users", k]);
  }
  const o = olds.shards || {}, n = news.shards || {};
  const keys = new Set([...Object.keys(o), ...Object.keys(n)]);
  return [...keys].filter((k) => o[k] !== n[k]).map((k) => ["shards", k]);
}
function flat(value, prefix, out) {
  if (value && typeof value === "object" && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) flat(v, prefix ? `${prefix}.${k}` : k, out);
  else out[prefix] = JSON.stringify(value);
  return out;
}
/** Per changed user: attribute path -> "old → new" (or "created"/"deleted"). */
function changesOf(olds, news) {
  const changes = {};
  for (const [prop, part] of changedParts(olds, news)) {
    const o = prop === "users" ? { [part]: (olds.users || {})[part] } : u.parseShard((olds.shards || {})[part] || "");
    const n = prop === "users" ? { [part]: (news.users || {})[part] } : u.parseShard((news.shards || {})[part] || "");
    for (const key of new Set([...Object.keys(o), ...Object.keys(n)])) {
      if (o[key] === n[key]) continue;
      if (o[key] === undefined) { changes[key] = { user: "created" }; continue; }
      if (n[key] === undefined) { changes[key] = { user: "deleted" }; continue; }
      const a = flat(JSON.parse(o[key]), "", {}), b = flat(JSON.parse(n[key]), "", {});
      const c = {};
      for (const p of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[p] !== b[p]) c[p] = `${a[p] ?? "(none)"} → ${b[p] ?? "(none)"}`;
      changes[key] = c;
    }
  }
  return changes;
}
function summary(changes) {
  const n = { created: 0, updated: 0, deleted: 0, points: 0 };
  for (const c of Object.values(changes)) {
    if (c.user === "created") n.created++; else if (c.user === "deleted") n.deleted++; else { n.updated++; n.points += Object.keys(c).length; }
  }
  return `users: ${n.created} to create, ${n.updated} to update (${n.points} data points), ${n.deleted} to delete`;
}

exports.check = (olds, news) => {
  const inputs = { ...news };
  if (env.PV_CHANGES === "1") inputs.changes = olds.shards || olds.users ? changesOf(olds, news) : {};
  return { inputs };
};
const crypto = require("node:crypto");
/** One digest of the users the inputs carry (the product's inSyncWith does the same). */
function digestOf(inputs) {
  const h = crypto.createHash("sha1");
  const m = inputs.users || inputs.shards || {};
  for (const k of Object.keys(m).sort()) h.update(k).update("\0").update(m[k]).update("\0");
  return h.digest("hex");
}
exports.diff = async (id, olds, news) => {
  // olds are the old OUTPUTS here (the dynamic provider's Diff passes req.olds, the outputs)
  if (olds.digest === digestOf(news) && !olds.drift) return { changes: false };
  if (olds.drift && env.PV_DIFF === "detailed" && env.PV_DD === "drift") {
    const K = provproto.PropertyDiff.Kind;
    const dd = {};
    for (const key of Object.keys(olds.drift)) dd[`drift[${JSON.stringify(key)}]`] = { kind: Number(env.PV_DRIFTKIND ?? K.DELETE), inputDiff: false };
    pendingDetailed = dd;
    if (env.PV_LOG === "engine") await engineLog([`drift: ${Object.keys(olds.drift).length} users differ from the file`, ...Object.entries(olds.drift).slice(0, 20).map(([k, c]) => `  ~ ${k}: ${Object.entries(c).map(([p, v]) => `${p}: ${v}`).join("; ")}`)].join("\n"));
    return { changes: true };
  }
  const parts = news.changes ? [...new Set(Object.keys(news.changes).map((k) => news.users ? ["users", k] : ["shards", u.shardName(k, Number(env.PV_SHARDS || 256))]).map(JSON.stringify))].map(JSON.parse) : [];
  const mode = env.PV_DIFF || "some";
  if (env.PV_LOG === "engine" || env.PV_LOG === "stderr") {
    const changes = news.changes || changesOf(olds, news);
    const lines = [summary(changes), ...Object.entries(changes).slice(0, 20).map(([k, c]) => `  ~ ${k}: ${Object.entries(c).map(([p, v]) => `${p}: ${v}`).join(", ")}`)];
    if (env.PV_LOG === "engine") await engineLog(lines.join("\n"));
    else console.error(lines.join("\n"));
  }
  if (mode === "unknown") return {};
  if (mode === "detailed") {
    const K = provproto.PropertyDiff.Kind;
    const dd = {};
    const what = env.PV_DD || "parts";
    if (what === "parts") for (const [prop, part] of parts) dd[`${prop}[${JSON.stringify(part)}]`] = { kind: K.UPDATE, inputDiff: true };
    if (what === "changes") for (const key of Object.keys(news.changes || {})) dd[`changes[${JSON.stringify(key)}]`] = { kind: K.ADD, inputDiff: false };
    if (what === "drift") for (const key of Object.keys(olds.drift || {})) dd[`drift[${JSON.stringify(key)}]`] = { kind: Number(env.PV_DRIFTKIND ?? K.DELETE), inputDiff: false };
    if (env.PV_SUMMARYKEY === "1") dd[JSON.stringify([summary(news.changes || changesOf(olds, news))])] = { kind: K.UPDATE, inputDiff: true };
    pendingDetailed = dd;
  }
  return { changes: true };
};
function outs(props) {
  const texts = props.users || Object.assign({}, ...Object.values(props.shards || {}).map(u.parseShard));
  const o = { digest: digestOf(props), userCount: Object.keys(texts).length, record: zlib.gzipSync(JSON.stringify(texts)).toString("base64") };
  return o;
}
exports.create = async (props) => ({ id: "set", outs: outs(props) });
exports.update = async (id, olds, news) => ({ outs: outs(news) });
exports.delete = async () => {};
exports.read = async (id, props) => {
  const result = { ...props };
  if (env.PV_DRIFT) {
    const drift = {};
    for (const i of env.PV_DRIFT.split(",").map(Number)) drift[u.key(i)] = { "attributes.first_name": `braze "Someone" → file "Persona ${i}"`, "subscription_groups.group-offers": `braze unsubscribed → file subscribed` };
    result.drift = drift;
    // the record changes too when Braze holds something else
    result.record = zlib.gzipSync("drifted" + props.record).toString("base64");
  }
  return { id, props: result };
};
