/**
 * `iprod jobs list|get`: reads the job ledger (docs/ledger.md) through `JobLedger` and the official `tablestore`
 * SDK. Read only: it never writes a row.
 */
import Credential from '@alicloud/credentials';
import { otsEndpointOf, RUNTIME_ENV } from '../service';
import { CliSettingError, type WaitIo } from './cli';
import { MissingCredentialsError } from './errors';
import { DEFAULT_LEDGER_TABLE, JobLedger, LEDGER_STATES, type LedgerRow, type LedgerState } from './ledger';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 10_000;
/** Ledger row ids: 32 hex characters (docs/ledger.md). */
const ROW_ID = /^[0-9a-f]{32}$/;

/**
 * Where the ledger is: flags win over these variables. `OTS_ENDPOINT` is the name the deployed function reads too;
 * `OTS_INSTANCE` and `OTS_TABLE` are the CLI's own.
 */
export const JOBS_ENV = { endpoint: RUNTIME_ENV.otsEndpoint, instance: 'OTS_INSTANCE', table: 'OTS_TABLE' } as const;

export const JOBS_USAGE = `usage: iprod jobs list [--status S1,S2] [--prefix KEY_PREFIX] [--since TIME] [--until TIME] [--open] [--limit N] [--json]
       iprod jobs get <row id | object key> [--json]

Reads the job ledger (Tablestore). Where it is:
  --instance NAME      Tablestore instance (env ${JOBS_ENV.instance}; required)
  --table NAME         ledger table (env ${JOBS_ENV.table}, default ${DEFAULT_LEDGER_TABLE})
  --ots-endpoint URL   http(s)://host[:port] (env ${JOBS_ENV.endpoint}, default https://{instance}.{region}.ots.aliyuncs.com)
  --region R           (env ALIBABA_CLOUD_REGION_ID, default cn-shanghai)
list:
  --status             states among ${LEDGER_STATES.join(', ')}
  --prefix             object keys starting with this
  --since / --until    created at or after / before, ISO 8601 with a zone (2026-11-01T00:00:00Z)
  --open               only rows not yet terminal and delivered
  --limit N            at most N rows (default ${DEFAULT_LIST_LIMIT})
get: a 32-hex row id, or an object key (every row of that key: one per version and preset).
`;

export const JOBS_VALUE_OPTIONS: readonly string[] = ['status', 'prefix', 'since', 'until', 'limit', 'instance', 'table', 'ots-endpoint'];
export const JOBS_FLAG_OPTIONS: readonly string[] = ['json', 'open'];

export interface JobsArgs {
  readonly positional: readonly string[];
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
  readonly region: string;
}

export interface JobsIo extends WaitIo {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A row as people and scripts read it: `result`, `request` and `meta` parsed, times as ISO text. */
export function presentRow(row: LedgerRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    if ((key === 'result' || key === 'request' || key === 'meta') && typeof value === 'string') out[key] = parseJson(value);
    else if (/At$|Since$/.test(key) && typeof value === 'number') out[key] = new Date(value).toISOString();
    else out[key] = value;
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function timeOption(args: JobsArgs, name: string): number | undefined {
  const raw = args.values.get(name);
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  // A zone is required: the same command must mean the same rows on every machine.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(ms)) {
    throw new CliSettingError(`--${name} must be an ISO 8601 time with a zone such as 2026-11-01T00:00:00Z, got ${JSON.stringify(raw)}`);
  }
  return ms;
}

function states(args: JobsArgs): LedgerState[] | undefined {
  const raw = args.values.get('status');
  if (raw === undefined) return undefined;
  const list = raw.split(',').map((s) => s.trim());
  for (const s of list) {
    if (!(LEDGER_STATES as readonly string[]).includes(s)) {
      throw new CliSettingError(`--status must be states among ${LEDGER_STATES.join(', ')} (comma-separated), got ${JSON.stringify(s)} in ${JSON.stringify(raw)}`);
    }
  }
  return list as LedgerState[];
}

function limitOption(args: JobsArgs): number {
  const raw = args.values.get('limit');
  if (raw === undefined) return DEFAULT_LIST_LIMIT;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_LIST_LIMIT) throw new CliSettingError(`--limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got ${JSON.stringify(raw)}`);
  return n;
}

function setting(args: JobsArgs, env: Readonly<Record<string, string | undefined>>, flag: string, envName: string): string | undefined {
  const v = args.values.get(flag) ?? env[envName];
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

/** The ledger named by flags and env; credentials from the Alibaba Cloud default chain. */
async function openLedger(args: JobsArgs, env: Readonly<Record<string, string | undefined>>): Promise<JobLedger> {
  const instanceName = setting(args, env, 'instance', JOBS_ENV.instance);
  if (instanceName === undefined) throw new CliSettingError(`jobs needs the ledger's Tablestore instance: --instance NAME or env ${JOBS_ENV.instance}`);
  const tableName = setting(args, env, 'table', JOBS_ENV.table) ?? DEFAULT_LEDGER_TABLE;
  const endpoint = setting(args, env, 'ots-endpoint', JOBS_ENV.endpoint) ?? otsEndpointOf(instanceName, args.region);
  if (!/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/.test(endpoint)) {
    const source = args.values.has('ots-endpoint') ? '--ots-endpoint' : JOBS_ENV.endpoint;
    throw new CliSettingError(`${source} must be http(s)://host[:port], got ${JSON.stringify(endpoint)}`);
  }
  let keys: { accessKeyId?: string; accessKeySecret?: string; securityToken?: string };
  try {
    keys = await new Credential().getCredential();
  } catch (err) {
    throw new MissingCredentialsError({ cause: err });
  }
  if (!keys.accessKeyId || !keys.accessKeySecret) throw new MissingCredentialsError({ cause: new Error('the credential chain gave no AccessKey') });
  return new JobLedger({
    endpoint,
    instanceName,
    tableName,
    credentials: { accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret, ...(keys.securityToken ? { securityToken: keys.securityToken } : {}) },
  });
}

function when(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Runs `iprod jobs ...`; usage errors are thrown as CliSettingError. */
export async function jobsCommand(parse: (argv: readonly string[]) => JobsArgs, argv: readonly string[], io: JobsIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'get') throw new CliSettingError(`jobs needs list or get, got ${sub === undefined ? 'nothing' : JSON.stringify(sub)}\n\n${JOBS_USAGE}`);
  const args = parse(rest);
  const env = io.env ?? process.env;
  const json = args.flags.has('json');
  if (sub === 'get') {
    if (args.positional.length !== 1) throw new CliSettingError('jobs get needs exactly one row id or object key: iprod jobs get <id | object key>');
    const listOnly = ['status', 'prefix', 'since', 'until', 'limit'].filter((o) => args.values.has(o));
    if (listOnly.length > 0 || args.flags.has('open')) throw new CliSettingError(`--${listOnly[0] ?? 'open'} only applies to jobs list`);
    const ledger = await openLedger(args, env);
    const wanted = args.positional[0];
    const rows = ROW_ID.test(wanted) ? [await ledger.get(wanted)].filter((r): r is LedgerRow => r !== undefined) : await rowsOfKey(ledger, wanted);
    if (rows.length === 0) {
      io.stderr(`iprod: no ledger row for ${ROW_ID.test(wanted) ? 'id' : 'object key'} ${JSON.stringify(wanted)}\n`);
      return EXIT_FAILED;
    }
    const shown = rows.map(presentRow);
    io.stdout(JSON.stringify(shown.length === 1 && ROW_ID.test(wanted) ? shown[0] : shown, null, json ? undefined : 2) + '\n');
    return EXIT_OK;
  }
  if (args.positional.length > 0) throw new CliSettingError(`jobs list takes options only, got ${JSON.stringify(args.positional[0])}`);
  const filter = {
    states: states(args),
    objectKeyPrefix: args.values.get('prefix'),
    since: timeOption(args, 'since'),
    until: timeOption(args, 'until'),
    openOnly: args.flags.has('open'),
  };
  const limit = limitOption(args);
  const ledger = await openLedger(args, env);
  const rows: LedgerRow[] = [];
  let cursor: string | undefined;
  // The filter runs server-side per page: a page may hold fewer rows than asked, so continue until enough or the end.
  do {
    const page = await ledger.list({ ...filter, limit: Math.min(limit - rows.length, 1000), ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    cursor = page.cursor;
  } while (cursor !== undefined && rows.length < limit);
  rows.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  if (json) {
    io.stdout(JSON.stringify({ rows: rows.map(presentRow), more: cursor !== undefined }) + '\n');
    return EXIT_OK;
  }
  const lines = [['ID', 'STATE', 'JOB', 'CREATED', 'PRESET', 'OBJECT']];
  for (const r of rows) lines.push([r.id, r.state + (r.open ? '' : r.delivered ? ' (delivered)' : ''), r.jobId ?? '-', when(r.createdAt), r.preset, r.objectKey]);
  io.stdout(table(lines));
  io.stdout(`${rows.length} row(s)${cursor !== undefined ? `, more match: raise --limit (${limit})` : ''}\n`);
  return EXIT_OK;
}

/** Every row of one object key (one per version and preset): a prefix scan, kept exact. */
async function rowsOfKey(ledger: JobLedger, objectKey: string): Promise<LedgerRow[]> {
  const rows: LedgerRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.list({ objectKeyPrefix: objectKey, limit: 1000, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows.filter((r) => r.objectKey === objectKey));
    cursor = page.cursor;
  } while (cursor !== undefined);
  return rows.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}
