// The plan as a terminal reads it: the totals, the budgets' verdict, then one
// block per changed user with its parts. Pure.
import { ACTION_SIGN, actionText, userText, budgetsLine, changeRemarks, partText, requestsLine, usersLine } from "./describe";
import type { PlanReport } from "./plan-report";

export function formatTable(report: PlanReport): string {
  const lines = [
    `Plan for stack ${report.stack}: what "pulumi up" sends to Braze`,
    "",
    `Users:        ${usersLine(report)}`,
    `Requests:     ${requestsLine(report)}`,
    `Data points:  ${report.dataPoints}`,
    `Budgets:      ${budgetsLine(report)}`,
  ];
  if (report.changes.length > 0) {
    const rows = report.changes.map((change) => [
      `${ACTION_SIGN[change.action]} ${actionText(change)}`,
      change.set,
      change.key,
      userText(change),
      String(change.dataPoints),
    ]);
    const header = ["  ACTION", "SET", "KEY", "ALIAS", "DATA POINTS"];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
    const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join("  ");
    lines.push("", line(header));
    report.changes.forEach((change, index) => {
      lines.push(line(rows[index]));
      for (const part of change.parts) lines.push(`      ${partText(part)}`);
      for (const remark of changeRemarks(change)) lines.push(`      (${remark})`);
    });
  } else {
    lines.push("", "No changes: Braze already holds what the program declares (as state records it).");
  }
  for (const unplanned of report.unplanned) lines.push(`  ? ${unplanned.operation} ${unplanned.resource} (not planned here)`);
  if (report.notes.length > 0) lines.push("", ...report.notes.map((note) => `Note: ${note}`));
  return `${lines.join("\n")}\n`;
}
