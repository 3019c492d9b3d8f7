import { suite } from "uvu";
import * as assert from "uvu/assert";
import { BrazeClient } from "../../provider/braze/client";
import { BrazeObjectError } from "../../provider/braze/errors/braze-object-error";
import { ExternalIdRemoveError } from "../../provider/braze/errors/external-id-remove-error";
import { ExternalIdRenameError } from "../../provider/braze/errors/external-id-rename-error";
import { BrazeUsersApi } from "../../provider/braze/users-api";
import type { TrackAttributesObject } from "../../provider/braze/wire-types";
import { startScriptedPeer, type ScriptedAnswer } from "../harness/scripted-http-peer";

function trackObject(name: string, attributes: Record<string, string> = {}): TrackAttributesObject {
  return { user_alias: { alias_name: name, alias_label: "qa" }, _update_existing_only: false, ...attributes };
}

async function withApi(
  script: ScriptedAnswer[],
  maxObjectsPerRequest: number,
  body: (api: BrazeUsersApi, peer: Awaited<ReturnType<typeof startScriptedPeer>>) => Promise<void>,
) {
  const peer = await startScriptedPeer(script);
  try {
    await body(new BrazeUsersApi(new BrazeClient({ endpoint: peer.url, apiKey: "k" }), { maxObjectsPerRequest, capScope: "per-array" }), peer);
  } finally {
    await peer.close();
  }
}

const success = (processed: number, extra: object = {}) => ({ status: 201, body: { message: "success", attributes_processed: processed, ...extra } });

const Api = suite("Braze users API: batching and per-object outcomes");

Api("concurrent tracks from many resources become one /users/track request, in order", () =>
  withApi([success(3)], 75, async (api, peer) => {
    await Promise.all([api.track(trackObject("a")), api.track(trackObject("b")), api.track(trackObject("c"))]);
    assert.is(peer.requests.length, 1);
    assert.equal(peer.requests[0].body, { attributes: [trackObject("a"), trackObject("b"), trackObject("c")] });
  }),
);

Api("never puts more objects in a request than the configured cap", () =>
  withApi([success(2), success(2), success(1)], 2, async (api, peer) => {
    await Promise.all(["a", "b", "c", "d", "e"].map((name) => api.track(trackObject(name))));
    assert.equal(
      peer.requests.map((request) => (request.body as { attributes: unknown[] }).attributes.length),
      [2, 2, 1],
    );
  }),
);

Api("a per-object error fails only the object it names, with Braze's message", () =>
  withApi([success(2, { errors: [{ type: "Invalid value for dob", input_array: "attributes", index: 1 }] })], 75, async (api) => {
    const settled = await Promise.allSettled(["a", "b", "c"].map((name) => api.track(trackObject(name))));
    assert.equal(
      settled.map((s) => s.status),
      ["fulfilled", "rejected", "fulfilled"],
    );
    const error = (settled[1] as PromiseRejectedResult).reason as BrazeObjectError;
    assert.instance(error, BrazeObjectError);
    assert.is(
      error.message,
      'POST /users/track: Braze rejected the attributes object for alias b (label qa): Invalid value for dob; correct that value in the desired state, then run "pulumi up" again',
    );
    assert.is(error.index, 1);
    assert.is(error.inputArray, "attributes");
  }),
);

Api("an error entry that names no object of the request fails them all rather than guess", () =>
  withApi([success(1, { errors: [{ type: "odd", input_array: "attributes", index: 7 }] })], 75, async (api) => {
    const settled = await Promise.allSettled(["a", "b"].map((name) => api.track(trackObject(name))));
    assert.equal(
      settled.map((s) => s.status),
      ["rejected", "rejected"],
    );
    assert.match(((settled[0] as PromiseRejectedResult).reason as Error).message, "names no object of this request");
  }),
);

Api("a rejected nested attribute fails the other objects' nested updates too: Braze drops them all", () =>
  withApi([success(3, { errors: [{ type: "'notes' is larger than 100 KB", input_array: "attributes", index: 0 }] })], 75, async (api) => {
    const objects: TrackAttributesObject[] = [
      { ...trackObject("a"), notes: { text: "x" } },
      { ...trackObject("b"), loyalty: { tier: "gold" } },
      { ...trackObject("c"), pets: [{ id: 1 }] },
      trackObject("d", { first_name: "D" }),
    ];
    const settled = await Promise.allSettled(objects.map((object) => api.track(object)));
    assert.equal(
      settled.map((s) => s.status),
      ["rejected", "rejected", "rejected", "fulfilled"],
    );
    assert.match(((settled[1] as PromiseRejectedResult).reason as Error).message, "drops every nested attribute update of the request");
  }),
);

Api("deletes are batched by alias into one /users/delete", () =>
  withApi([{ status: 201, body: { message: "success", deleted: 2 } }], 75, async (api, peer) => {
    await Promise.all([
      api.deleteUser({ user_alias: { alias_name: "a", alias_label: "qa" } }),
      api.deleteUser({ user_alias: { alias_name: "b", alias_label: "qa" } }),
    ]);
    assert.equal(
      peer.requests.map((r) => [r.path, r.body]),
      [
        [
          "/users/delete",
          {
            user_aliases: [
              { alias_name: "a", alias_label: "qa" },
              { alias_name: "b", alias_label: "qa" },
            ],
          },
        ],
      ],
    );
  }),
);

Api("exports are batched, ask for the union of fields, and map users back by alias", () =>
  withApi(
    [
      {
        status: 201,
        body: {
          message: "success",
          users: [{ user_aliases: [{ alias_name: "b", alias_label: "qa" }], first_name: "Bob" }],
          invalid_user_ids: ["a"],
        },
      },
    ],
    75,
    async (api, peer) => {
      const [a, b] = await Promise.all([
        api.exportUser({ user_alias: { alias_name: "a", alias_label: "qa" } }, ["first_name"]),
        api.exportUser({ user_alias: { alias_name: "b", alias_label: "qa" } }, ["email", "first_name"]),
      ]);
      assert.is(a, undefined);
      assert.equal(b, { user_aliases: [{ alias_name: "b", alias_label: "qa" }], first_name: "Bob" });
      assert.equal(peer.requests[0].body, {
        user_aliases: [
          { alias_name: "a", alias_label: "qa" },
          { alias_name: "b", alias_label: "qa" },
        ],
        fields_to_export: ["email", "first_name", "user_aliases"],
      });
    },
  ),
);

Api("identifications go to /users/identify as aliases_to_identify, 50 per request; an error entry fails only the one it names", () =>
  withApi(
    [
      {
        status: 201,
        body: {
          message: "success",
          aliases_processed: 49,
          errors: [{ type: "the profile already has an external_id", input_array: "aliases_to_identify", index: 1 }],
        },
      },
      { status: 201, body: { message: "success", aliases_processed: 1 } },
    ],
    75,
    async (api, peer) => {
      const entries = Array.from({ length: 51 }, (_, index) => ({ external_id: `u-${index}`, user_alias: { alias_name: `a-${index}`, alias_label: "qa" } }));
      const outcomes = await api.identifyAll(entries);
      assert.equal(
        peer.requests.map((request) => [request.path, request.body]),
        [
          ["/users/identify", { aliases_to_identify: entries.slice(0, 50) }],
          ["/users/identify", { aliases_to_identify: entries.slice(50) }],
        ],
      );
      assert.equal(
        outcomes.map((outcome) => outcome.ok),
        entries.map((_, index) => index !== 1),
      );
      const outcome = outcomes[1];
      const error = outcome.ok ? undefined : outcome.error;
      assert.instance(error, BrazeObjectError);
      assert.match(error?.message ?? "", /external_id u-1, alias a-1 \(label qa\): the profile already has an external_id/);
    },
  ),
);

Api("external_id renames go 50 per request; a rename_errors entry [index, message] fails only that rename", () =>
  withApi(
    [
      { status: 201, body: { message: "success", external_ids: ["n-0", "n-2"], rename_errors: [[1, '"n-1" is already the external_id of a user']] } },
      { status: 201, body: { message: "success", external_ids: ["n-50"], rename_errors: [] } },
    ],
    75,
    async (api, peer) => {
      const renames = Array.from({ length: 51 }, (_, index) => ({ current_external_id: `u-${index}`, new_external_id: `n-${index}` }));
      const outcomes = await api.renameExternalIdsAll(renames);
      assert.equal(
        peer.requests.map((request) => [request.path, request.body]),
        [
          ["/users/external_ids/rename", { external_id_renames: renames.slice(0, 50) }],
          ["/users/external_ids/rename", { external_id_renames: renames.slice(50) }],
        ],
      );
      assert.equal(
        outcomes.map((outcome) => outcome.ok),
        renames.map((_, index) => index !== 1),
      );
      const error = outcomes[1].ok ? undefined : outcomes[1].error;
      assert.instance(error, ExternalIdRenameError);
      assert.match(
        error?.message ?? "",
        /^POST \/users\/external_ids\/rename: Braze refused renaming external_id "u-1" to "n-1": "n-1" is already the external_id of a user; /,
      );
    },
  ),
);

Api("old external_ids are removed as one list; a removal_errors entry fails only that id, and an answer without success fails all", () =>
  withApi(
    [
      { status: 201, body: { message: "success", removed_ids: ["u-0"], removal_errors: [[1, '"u-1" is a primary external_id']] } },
      { status: 201, body: { message: "queued" } },
    ],
    75,
    async (api, peer) => {
      const outcomes = await api.removeExternalIdsAll(["u-0", "u-1"]);
      assert.equal(peer.requests.at(-1)?.body, { external_ids: ["u-0", "u-1"] });
      assert.equal(
        outcomes.map((outcome) => outcome.ok),
        [true, false],
      );
      assert.instance(outcomes[1].ok ? undefined : outcomes[1].error, ExternalIdRemoveError);
      const odd = await api.removeExternalIdsAll(["u-2"]);
      assert.match(odd[0].ok ? "" : odd[0].error.message, /^POST \/users\/external_ids\/remove: unexpected answer/);
    },
  ),
);

Api.run();
