// The words and values every format shares, so the table, the markdown and the
// JSON never disagree on what a change is called. Pure.
import type { ChangePart } from "./change-parts";
import type { PlanReport, ReportAction, ReportChange } from "./plan-report";

/** Longest value shown in a part before it is cut (the JSON keeps every value whole): an event or purchase with a few properties shows whole. */
const MAX_VALUE_CHARS = 120;

export const ACTION_SIGN: Record<ReportAction, string> = { create: "+", update: "~", rename: "~", delete: "-", forget: " " };

export function aliasText(alias: { name: string; label: string }): string {
  return `${alias.label}/${alias.name}`;
}

/** How the formats name a change's user: `label/name`, `external_id u-1`, or `external_id u-1 + label/name`. */
export function userText(change: Pick<ReportChange, "externalId" | "alias">): string {
  const alias = change.alias ? aliasText(change.alias) : undefined;
  if (change.externalId === undefined) return alias ?? "";
  return alias ? `external_id ${change.externalId} + ${alias}` : `external_id ${change.externalId}`;
}

export function valueText(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}

/** `attribute plan: "free" → "pro"`, `subscription group g: released (Braze keeps "subscribed"; nothing sent)`. */
export function partText(part: ChangePart): string {
  const what = `${part.kind.replace(/_/g, " ")} ${part.name}`;
  switch (part.change) {
    case "added":
      return `${what}: ${valueText(part.to)}`;
    case "removed":
      return `${what}: ${valueText(part.from)} → removed (sent as null)`;
    case "modified":
      return `${what}: ${valueText(part.from)} → ${valueText(part.to)}`;
    case "resent":
      return `${what}: ${valueText(part.to)} (sent again: its last request's outcome is unknown)`;
    case "checked":
      return `${what}: ${valueText(part.to)} (an earlier request's answer was lost: sent only if Braze's counts show it did not arrive)`;
    case "released":
      return part.kind === "event" || part.kind === "purchase"
        ? `${what}: left the file (Braze keeps what it logged; nothing sent)`
        : `${what}: no longer managed (Braze keeps ${valueText(part.from)}; nothing sent)`;
    default: {
      const never: never = part.change;
      throw new Error(`unknown part change ${String(never)}`);
    }
  }
}

/** What a change says besides its parts: a rename's old alias, a move, a note. */
export function changeRemarks(change: ReportChange): string[] {
  const remarks: string[] = [];
  if (change.renamedFrom) remarks.push(`renamed from ${aliasText(change.renamedFrom)}`);
  if (change.movedFrom) remarks.push(`recorded under key ${change.movedFrom} until now`);
  if (change.note) remarks.push(change.note);
  if (change.action === "update" && change.sends.length === 0) remarks.push("nothing sent: only what the record manages changes");
  return remarks;
}

export function usersLine(report: PlanReport): string {
  const { create, update, rename, delete: deletes, unchanged, forget } = report.users;
  const forgotten = forget > 0 ? `, ${forget} to forget (declared elsewhere, not deleted)` : "";
  return `${create} to create, ${update} to update, ${rename} to rename, ${deletes} to delete, ${unchanged} unchanged${forgotten}`;
}

export function requestsLine(report: PlanReport): string {
  const sent = Object.entries(report.requests).filter(([, count]) => count > 0);
  return sent.length === 0 ? "none" : sent.map(([endpoint, count]) => `${endpoint} ${count}`).join(", ");
}

export function budgetsLine(report: PlanReport): string {
  const { budgets } = report;
  const dataPoints = budgets.maxDataPoints === undefined ? `${budgets.dataPoints} data points (no limit)` : `${budgets.dataPoints} of at most ${budgets.maxDataPoints} data points`;
  return `${budgets.deletes} of at most ${budgets.maxDeletes} deletes, ${dataPoints}: ${budgets.verdict}`;
}
