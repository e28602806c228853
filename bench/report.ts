/** Renders bench/results.json into the Markdown table of bench/RESULTS.md. */
import { Figure, fmt } from './stats';

export interface TableRow {
  readonly figure: string;
  readonly fig: Figure<number> | undefined;
  readonly digits?: number;
}

function cell(value: number | null | undefined, unit: string | undefined, digits: number): string {
  if (value === null || value === undefined) return 'n/a';
  return unit ? `${fmt(value, digits)} ${unit}` : fmt(value, digits);
}

function metCell(met: boolean | null | undefined): string {
  if (met === true) return 'yes';
  if (met === false) return '**no**';
  return 'n/a';
}

/** One line per row; rows whose figure could not be measured say so instead of inventing numbers. */
export function renderTable(rows: readonly TableRow[]): string {
  const lines = ['| figure | ours | baseline | goal | met |', '|---|---|---|---|---|'];
  for (const { figure, fig, digits = 2 } of rows) {
    if (!fig) {
      lines.push(`| ${figure} | not measured | | | n/a |`);
      continue;
    }
    lines.push(
      `| ${figure} | ${cell(fig.value, fig.unit, digits)} | ${cell(fig.baseline, fig.unit, digits)} | ${fig.goal} | ${metCell(fig.met)} |`,
    );
  }
  return lines.join('\n');
}

/** The "what holds it back" lines: one per missed or unmeasured goal. */
export function renderMisses(rows: readonly TableRow[]): string[] {
  const out: string[] = [];
  for (const { figure, fig } of rows) {
    if (!fig) out.push(`- ${figure}: not measured in this run.`);
    else if (fig.met === false) out.push(`- ${figure}: goal missed — ${fig.note ?? 'no explanation recorded'}.`);
    else if (fig.met === null && fig.note) out.push(`- ${figure}: ${fig.note}.`);
  }
  return out;
}
