// The Braze calls that change a user's identifier in place, shared by BrazeUserSet
// (./user-set-send.ts, many users at once) and BrazeUser (./user-provider.ts, one):
// an external_id renamed only once Braze's ids say it is still to do, the old id
// removed after, and an identification checked before it is sent again.
import type { BrazeUsersApi } from "../braze/users-api";
import type { ExportedUser, ExternalIdRename, Identification } from "../braze/wire-types";

/**
 * What became of one external_id rename: the profile holds the new id (renamed
 * now, or by an earlier up whose answer was lost); neither id is held (the user
 * was deleted outside Pulumi: set it whole under the new id); or it failed,
 * `rejected` when Braze's own ids confirm the refusal (the new id is another
 * profile's).
 */
export type ExternalIdRenameResult = { state: "renamed" } | { state: "gone" } | { state: "failed"; message: string; rejected: boolean };

/**
 * Renames external_ids, Braze read first (see checkIds): a user is renamed only
 * while its old id is held and its new one free, so an earlier up's rename
 * whose answer was lost is not sent again. A refused rename is read again,
 * since a retry of a rename Braze applied without an answer is refused (the
 * new id is then in use): only a refusal Braze's ids confirm fails the user.
 */
export async function renameExternalIdsChecked(api: BrazeUsersApi, renames: readonly ExternalIdRename[]): Promise<ExternalIdRenameResult[]> {
  if (renames.length === 0) return [];
  const results: ExternalIdRenameResult[] = new Array(renames.length);
  const toRename: number[] = [];
  (await checkIds(api, renames)).forEach((check, index) => {
    if (check.state === "rename") toRename.push(index);
    else if (check.state === "renamed" || check.state === "gone") results[index] = { state: check.state };
    else results[index] = { state: "failed", message: checkFailure(renames[index], check), rejected: check.state === "taken" };
  });
  const outcomes = await api.renameExternalIdsAll(toRename.map((index) => renames[index]));
  const refused: Array<{ index: number; error: Error }> = [];
  toRename.forEach((index, position) => {
    const outcome = outcomes[position];
    if (outcome.ok) results[index] = { state: "renamed" };
    else if (outcome.error.name === "ExternalIdRenameError") refused.push({ index, error: outcome.error });
    else results[index] = { state: "failed", message: `its external_id was not renamed: ${outcome.error.message}`, rejected: false };
  });
  const rechecked = await checkIds(
    api,
    refused.map(({ index }) => renames[index]),
  );
  refused.forEach(({ index, error }, position) => {
    results[index] =
      rechecked[position].state === "renamed"
        ? { state: "renamed" }
        : { state: "failed", message: `its external_id was not renamed: ${error.message}`, rejected: true };
  });
  return results;
}

/** What Braze's two reads say of an external_id rename. */
type IdCheck = { state: "rename" } | { state: "renamed" } | { state: "gone" } | { state: "taken"; brazeId?: string } | { state: "unknown"; error: Error };

/**
 * Reads each rename's old and new ids apart (Braze answers an export by a
 * deprecated id with the profile under its new id, so one request holding
 * both could list it twice): the old id held and the new one free, it is to
 * rename; the new one held and the old one not, it was renamed (an earlier
 * request's answer was lost); both held, the new id is another profile's;
 * neither, the user is gone.
 */
async function checkIds(api: BrazeUsersApi, renames: readonly ExternalIdRename[]): Promise<IdCheck[]> {
  if (renames.length === 0) return [];
  const read = (id: (rename: ExternalIdRename) => string) =>
    api.exportAll(
      renames.map((rename) => ({ external_id: id(rename) })),
      ["braze_id"],
    );
  const [olds, news] = await Promise.all([read((rename) => rename.current_external_id), read((rename) => rename.new_external_id)]);
  return renames.map((_, index): IdCheck => {
    const [old, held] = [olds[index], news[index]];
    if (!old.ok) return { state: "unknown", error: old.error };
    if (!held.ok) return { state: "unknown", error: held.error };
    if (old.value && held.value) return { state: "taken", brazeId: held.value.braze_id };
    if (held.value) return { state: "renamed" };
    return old.value ? { state: "rename" } : { state: "gone" };
  });
}

function checkFailure(rename: ExternalIdRename, check: Extract<IdCheck, { state: "taken" | "unknown" }>): string {
  const { current_external_id: from, new_external_id: to } = rename;
  if (check.state === "unknown") return `its external_id could not be checked before renaming it: ${check.error.message}`;
  return (
    `cannot rename external_id ${JSON.stringify(from)} to ${JSON.stringify(to)}: Braze already has another user with that external_id ` +
    `(braze_id ${check.brazeId ?? "unknown"}). Delete that user or choose another external_id, then run "pulumi up" again.`
  );
}

/**
 * Removes renamed users' old external_ids (/users/external_ids/remove), once
 * their profiles were addressed by the new ids: Braze keeps an old id as a
 * deprecated one that still addresses the profile until it is removed. Says,
 * per id, the error that left it in place, if any. Braze refuses only an id
 * that is not a deprecated one: after the rename, that one is gone already (an
 * earlier request, whose answer was lost, removed it), which is the goal.
 */
export async function removeOldExternalIds(api: BrazeUsersApi, oldIds: readonly string[]): Promise<Array<Error | undefined>> {
  if (oldIds.length === 0) return [];
  const outcomes = await api.removeExternalIdsAll(oldIds);
  return outcomes.map((outcome) => (outcome.ok || outcome.error.name === "ExternalIdRemoveError" ? undefined : outcome.error));
}

/** The fields an identification's check reads: the email only when an email-only user is identified, so alias identifications read what they always did. */
export function identificationFields(identifications: readonly Identification[]): string[] {
  return identifications.some((identification) => identification.email !== undefined) ? ["email", "user_aliases"] : ["user_aliases"];
}

/** Whether the identified profile holds what identified it: the alias, or the email (Braze compares emails without case). */
export function holdsIdentifier(identify: Identification, exported: ExportedUser | undefined): boolean {
  if (identify.email !== undefined) return typeof exported?.email === "string" && exported.email.toLowerCase() === identify.email.toLowerCase();
  const { alias_name, alias_label } = identify.user_alias;
  return (exported?.user_aliases ?? []).some((alias) => alias.alias_name === alias_name && alias.alias_label === alias_label);
}
