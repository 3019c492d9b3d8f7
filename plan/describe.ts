// The words and values every format shares, so the table, the markdown and the
// JSON never disagree on what a change is called. Pure.
export { partText, valueText } from "../provider/plan-api";
import type { PlanReport, ReportAction, ReportChange } from "./plan-report";

export const ACTION_SIGN: Record<ReportAction, string> = {
  create: "+",
  update: "~",
  rename: "~",
  identify: "~",
  rename_external_id: "~",
  delete: "-",
  forget: " ",
};

/** How the formats name a change's action: an adopted create reads Braze first. */
export function actionText(change: Pick<ReportChange, "action" | "adopt">): string {
  return change.adopt ? "adopt (read first)" : change.action;
}

export function aliasText(alias: { name: string; label: string }): string {
  return `${alias.label}/${alias.name}`;
}

/** How the formats name a change's user: `label/name`, `external_id u-1`, `external_id u-1 + label/name`, `email a@b.c` or `phone +1555…`. */
export function userText(change: Pick<ReportChange, "externalId" | "alias" | "email" | "phone">): string {
  const alias = change.alias ? aliasText(change.alias) : undefined;
  const address = change.email !== undefined ? `email ${change.email}` : change.phone !== undefined ? `phone ${change.phone}` : "";
  if (change.externalId === undefined) return alias ?? address;
  return alias ? `external_id ${change.externalId} + ${alias}` : `external_id ${change.externalId}`;
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
  const { create, update, rename, identify, rename_external_id: renameExternalId, delete: deletes, unchanged, forget } = report.users;
  const forgotten = forget > 0 ? `, ${forget} to forget (declared elsewhere, not deleted)` : "";
  const identified = `${identify > 0 ? `, ${identify} to identify` : ""}${renameExternalId > 0 ? `, ${renameExternalId} to rename external_id` : ""}`;
  return `${create} to create, ${update} to update, ${rename} to rename${identified}, ${deletes} to delete, ${unchanged} unchanged${forgotten}`;
}

export function requestsLine(report: PlanReport): string {
  const sent = Object.entries(report.requests).filter(([, count]) => count > 0);
  return sent.length === 0 ? "none" : sent.map(([endpoint, count]) => `${endpoint} ${count}`).join(", ");
}

export function budgetsLine(report: PlanReport): string {
  const { budgets } = report;
  const dataPoints =
    budgets.maxDataPoints === undefined
      ? `${budgets.dataPoints} data points (no limit)`
      : `${budgets.dataPoints} of at most ${budgets.maxDataPoints} data points`;
  return `${budgets.deletes} of at most ${budgets.maxDeletes} deletes, ${dataPoints}: ${budgets.verdict}`;
}
