// The plan for machines. The contract: `users` (create, update, rename, identify, rename_external_id, delete,
// unchanged, forget), `requests` (per endpoint), `data_points`, `budgets` and
// `changes` (key, external_id, alias, email, phone: as far as the user has them; action, data_points, sends, parts). A changed alias
// label is a delete of the old alias and a create of the new one, each with a
// `note`. Keys are snake_case, every value whole. Pure.
import type { PlanReport } from "./plan-report";

export function formatJson(report: PlanReport): string {
  const document = {
    stack: report.stack,
    users: report.users,
    requests: report.requests,
    data_points: report.dataPoints,
    budgets: {
      max_deletes: report.budgets.maxDeletes,
      max_data_points: report.budgets.maxDataPoints ?? null,
      deletes: report.budgets.deletes,
      data_points: report.budgets.dataPoints,
      within: report.budgets.exceeded.length === 0,
      exceeded: report.budgets.exceeded,
      verdict: report.budgets.verdict,
    },
    changes: report.changes.map((change) => ({
      set: change.set,
      key: change.key,
      ...(change.externalId === undefined ? {} : { external_id: change.externalId }),
      alias: change.alias ? { name: change.alias.name, label: change.alias.label } : null,
      ...(change.email === undefined ? {} : { email: change.email }),
      ...(change.phone === undefined ? {} : { phone: change.phone }),
      action: change.action,
      ...(change.adopt ? { adopt: true } : {}),
      data_points: change.dataPoints,
      sends: change.sends,
      parts: change.parts,
      ...(change.renamedFrom ? { renamed_from: { name: change.renamedFrom.name, label: change.renamedFrom.label } } : {}),
      ...(change.movedFrom === undefined ? {} : { moved_from: change.movedFrom }),
      ...(change.note === undefined ? {} : { note: change.note }),
    })),
    not_planned: report.unplanned,
    notes: report.notes,
    changes_anything: report.changesAnything,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
