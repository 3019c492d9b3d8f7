// The plan as a pull-request comment: the totals and the verdict first, then
// the changed users as a table, cut after MAX_ROWS so a large plan stays under
// the size GitHub accepts for a comment (65,536 characters). Pure.
import { ACTION_SIGN, actionText, userText, budgetsLine, changeRemarks, partText, requestsLine, usersLine } from "./describe";
import type { PlanReport } from "./plan-report";

/** Changed users listed in a comment; the rest are counted. At ~300 characters a row this keeps a comment near 30 KB. */
export const MAX_ROWS = 100;

export function formatMarkdown(report: PlanReport): string {
  const verdictMark = report.budgets.exceeded.length === 0 ? "✅" : "⛔";
  const lines = [
    `### Braze plan for stack \`${report.stack}\``,
    "",
    `**Users:** ${usersLine(report)}  `,
    `**Requests:** ${requestsLine(report)}  `,
    `**Data points:** ${report.dataPoints}  `,
    `**Budgets:** ${verdictMark} ${escapeCell(budgetsLine(report))}`,
  ];
  if (report.changes.length > 0) {
    lines.push("", "| | set | key | alias | data points | what changes |", "|---|---|---|---|---:|---|");
    for (const change of report.changes.slice(0, MAX_ROWS)) {
      const details = [...change.parts.map((part) => escapeCell(partText(part))), ...changeRemarks(change).map((remark) => `_${escapeCell(remark)}_`)].join(
        "<br>",
      );
      lines.push(
        `| ${ACTION_SIGN[change.action].trim()} ${actionText(change)} | ${code(change.set)} | ${code(change.key)} | ${code(userText(change))} | ${change.dataPoints} | ${details} |`,
      );
    }
    if (report.changes.length > MAX_ROWS)
      lines.push("", `… and ${report.changes.length - MAX_ROWS} more changed users (\`braze-profiles plan\` lists them all).`);
  } else {
    lines.push("", "No changes: Braze already holds what the program declares (as state records it).");
  }
  for (const unplanned of report.unplanned) lines.push(`- not planned here: ${unplanned.operation} ${escapeCell(unplanned.resource)}`);
  if (report.notes.length > 0) lines.push("", ...report.notes.map((note) => `> ${escapeCell(note)}`));
  return `${lines.join("\n")}\n`;
}

/** Table cells end at `|` and lines: both are escaped, and markdown's emphasis characters kept literal. */
function escapeCell(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/[*_`<>]/g, (char) => `\\${char}`)
    .replace(/\n/g, " ");
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
}
