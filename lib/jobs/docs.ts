import type { Api } from '../service';
import { CATALOGUE, FUNCTION_NAMES, type FunctionSpec, type ParamShape } from './catalogue';

const API_TEXT: Readonly<Record<Api, string>> = { ice: 'ICE', mts: 'MPS' };

/** Markers around the generated table in README.md. */
export const FUNCTIONS_TABLE_START = '<!-- functions:start -->';
export const FUNCTIONS_TABLE_END = '<!-- functions:end -->';

function shapeText(s: ParamShape): string {
  switch (s.kind) {
    case 'string':
      return s.values ? s.values.map((v) => (v === '' ? '""' : v)).join(' \\| ') : 'string';
    case 'integer':
      return `integer ${s.min}-${s.max}`;
    case 'csv':
      return `list of ${s.values.join(', ')}`;
    case 'boxes':
      return s.maxItems ? `≤ ${s.maxItems} boxes` : 'boxes';
    case 'box':
      return 'box';
    case 'tblr':
      return '[[top, bottom], [left, right]]';
    case 'time-ranges':
      return '[start, end]';
    case 'http-url':
      return 'URL';
    case 'key-numbers':
      return 'key=number,...';
    case 'audio-inputs':
      return `${s.count} × {file}`;
  }
}

function outputText(spec: FunctionSpec): string {
  const o = spec.output;
  if (o.kind === 'none') return 'none (result in the job)';
  const what = o.count === 1 ? o.kind : `${o.count} ${o.kind} files`;
  const formats = o.formats.length ? ` (${o.formats.join('/')})` : '';
  const required = [...new Set([...o.placeholders.ice.required, ...o.placeholders.mts.required])];
  const marks = [
    ...o.placeholders.ice.recommended.map((p) => `{${p}} recommended on ICE`),
    ...o.placeholders.mts.required.filter((p) => !o.placeholders.ice.required.includes(p)).map((p) => `{${p}} required on MPS`),
    ...o.placeholders.ice.required.filter((p) => required.includes(p)).map((p) => `{${p}} required`),
  ];
  return `${what}${formats}${marks.length ? `; ${marks.join(', ')}` : ''}`;
}

/** ICE's listed models (seed 001 lines 297-308); MPS takes any ModelId string (seed 002 lines 82-86). */
function modelIdsText(spec: FunctionSpec): string {
  const ice = spec.apis.includes('ice') ? spec.modelIds.map((m) => `\`${m}\``).join(', ') || '—' : undefined;
  const mts = spec.apis.includes('mts') ? 'any' : undefined;
  if (ice !== undefined && mts !== undefined) return `ICE: ${ice}; MPS: ${mts}`;
  return ice ?? mts ?? '—';
}

/** The README table of the functions, rendered from the catalogue (scripts/gen-docs.ts writes it). */
export function renderFunctionsTable(): string {
  const rows = FUNCTION_NAMES.map((name) => {
    const spec = CATALOGUE[name];
    const params = Object.entries(spec.params).map(([k, p]) => `\`${k}\` (${shapeText(p.shape)}${p.superseded ? '; seed 000 only' : ''})`);
    // Every MPS function's JobParams are open (seed 002 line 89): only an ICE function without a field list is marked.
    const open = spec.apis.every((a) => spec.paramsListed[a] === undefined);
    const details = (spec.input.requirements ?? []).map((q) => {
      const where = q.apis.length === spec.apis.length ? '' : `${q.apis.map((a) => API_TEXT[a]).join(', ')}: `;
      return `${where}${q.formats.join('/')}, ${q.notes}`;
    });
    const input = spec.input.kinds.join('/') + (details.length ? ` (${details.join('; ')})` : '');
    return [
      `\`${name}\``,
      spec.apis.includes('ice') ? '✓' : '',
      spec.apis.includes('mts') ? '✓' : '',
      input,
      outputText(spec),
      params.join(', ') || (open ? 'not listed (any key, with a warning)' : '—'),
      modelIdsText(spec),
    ];
  });
  const header = ['Function', 'ICE', 'MPS', 'Input', 'Output', 'JobParams', 'ModelIds'];
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

/** `readme` with the text between the markers replaced by a fresh table. Throws if a marker is missing. */
export function replaceFunctionsTable(readme: string): string {
  const start = readme.indexOf(FUNCTIONS_TABLE_START);
  const end = readme.indexOf(FUNCTIONS_TABLE_END);
  if (start < 0 || end < start) throw new Error(`README must contain ${FUNCTIONS_TABLE_START} followed by ${FUNCTIONS_TABLE_END}`);
  return `${readme.slice(0, start + FUNCTIONS_TABLE_START.length)}\n${renderFunctionsTable()}${readme.slice(end)}`;
}
