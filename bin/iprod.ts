#!/usr/bin/env node
/**
 * `iprod`: list the catalogue, validate requests, submit and follow jobs, review policies.
 * `main(argv, io)` returns the exit code instead of exiting so that tests drive it in-process.
 */
import * as fs from 'fs';
import {
  CATALOGUE,
  FUNCTION_NAMES,
  endpointFor,
  hasErrors,
  isFunctionName,
  validateIProductionJob,
  validateMediaProducingJob,
  type FunctionName,
  type ValidationIssue,
} from '../lib/jobs';
import { IProductionClient } from '../lib/runtime';
import {
  attemptReporter,
  CliSettingError,
  describeForPerson,
  EXIT_INTERRUPTED,
  followJob,
  printFollowed,
  retryFromEnv,
  type WaitIo,
} from '../lib/runtime/cli';
import type { Api } from '../lib/service';
import { policyReportCommand, type CommandIo } from '../lib/policy/cli';
import { deployCommand, destroyCommand, diffCommand } from '../lib/deploy/cli';
import {
  CALLBACKS_FLAG_OPTIONS,
  CALLBACKS_USAGE,
  CALLBACKS_VALUE_OPTIONS,
  callbacksCommand,
  type CallbacksArgs,
} from '../lib/runtime/callbacks-cli';
import { JOBS_FLAG_OPTIONS, JOBS_USAGE, JOBS_VALUE_OPTIONS, jobsCommand, type JobsArgs } from '../lib/runtime/jobs-cli';

export interface CliIo extends CommandIo, WaitIo {
  /** @default fs.readFileSync(path, 'utf8') */
  readonly readFile?: (path: string) => string;
  /** Whether a person can answer questions (stdin and stdout are a terminal): deploy and destroy ask. @default false */
  readonly interactive?: boolean;
  /**
   * Pause between the client's polls and retries; tests pass one that advances a virtual clock.
   * @default - a real timer
   */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const EXIT_OK = 0;
/** The request is invalid, the job failed, or a call did not succeed. */
export const EXIT_FAILED = 1;
/** The command line is wrong: unknown command or option, missing or malformed value, unreadable file. */
export const EXIT_USAGE = 2;

type Kind = 'iProduction' | 'mediaProducing';

const USAGE = `usage: iprod <command> [options]

commands:
  functions [--api ice|mts] [--json]      list the intelligent production functions
  validate <request.json> [--kind mediaProducing]
                                          check a request; exit 1 when it has errors
  submit --function F --input URL --output URL [--params JSON] [--name N] [--wait] [--timeout S]
  submit --request <request.json> [--kind mediaProducing] [--wait] [--timeout S]
                                          submit a job (validated first); --wait follows it to the end
  status <jobId> [--kind mediaProducing]  print a job with its status and result
  wait <jobId> [--kind mediaProducing] [--timeout S]
                                          follow a job to its end (Ctrl-C stops waiting, not the job)
  callbacks show [--json]                 ICE's event callback for the region (account-wide)
  callbacks set --queue ice-callback-NAME [--events E1,E2] [--force]
                                          set it; refuses to replace a different one without --force
                                          (iprod callbacks --help for HTTP callbacks)
  jobs list [--status S1,S2] [--prefix P] [--since T] [--until T] [--open] [--limit N] [--json]
  jobs get <row id | object key> [--json]
                                          read the job ledger (iprod jobs --help: --instance, --table, --ots-endpoint)
  policy-report ...                       review the RAM policies of a synthesized template
  deploy [STACK...] [--yes] ...           create or update stacks over ROS, permission changes shown and gated
  diff [STACK...] [--fail] ...            compare the assembly with what is deployed
  destroy STACK... [--yes] ...            delete stacks and wait
                                          (iprod deploy --help for their options)

global options:
  --region R        region (default: env ALIBABA_CLOUD_REGION_ID, else cn-shanghai)
  --api ice|mts     Intelligent Media Services (default) or MPS
  --endpoint HOST   host[:port] of the API (default: env ICE_ENDPOINT, else ice.{region}.aliyuncs.com or
                    mts.{region}.aliyuncs.com)
  --protocol P      https or http (default: env ICE_PROTOCOL, else https)
  -h, --help        this text

credentials: the Alibaba Cloud default chain (env ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET,
  ~/.alibabacloud/credentials, ECS RAM role, ...).
tuning (env): IPROD_RETRIES, IPROD_RETRY_BASE_MS, IPROD_RETRY_CAP_MS (retries of a failed call), IPROD_POLL_MS
  (first pause between the queries of a wait, default 1000), IPROD_TICK_MS (how often its elapsed time is redrawn,
  default 1000).
`;

class UsageError extends Error {}

interface ParsedArgs {
  readonly positional: string[];
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
}

const GLOBAL_VALUE_OPTIONS = ['region', 'api', 'endpoint', 'protocol'];

function parseArgs(argv: readonly string[], valueOptions: readonly string[], flagOptions: readonly string[]): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  const allValues = [...GLOBAL_VALUE_OPTIONS, ...valueOptions];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      flags.add('help');
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (allValues.includes(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
      if (values.has(name)) throw new UsageError(`option --${name} given twice`);
      values.set(name, value);
    } else if (flagOptions.includes(name)) {
      if (eq !== -1) throw new UsageError(`option --${name} takes no value, got ${JSON.stringify(arg.slice(eq + 1))}`);
      flags.add(name);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, values, flags };
}

interface Globals {
  readonly region: string;
  readonly api: Api;
  readonly endpoint?: string;
  readonly protocol?: 'http' | 'https';
}

function globals(args: ParsedArgs, io: CliIo): Globals {
  const env = io.env ?? process.env;
  const region = args.values.get('region') ?? (env.ALIBABA_CLOUD_REGION_ID || 'cn-shanghai');
  if (!/^[a-z]{2,}(-[a-z0-9]+)+$/.test(region)) {
    throw new UsageError(`--region must look like cn-shanghai, got ${JSON.stringify(region)}`);
  }
  const api = args.values.get('api') ?? 'ice';
  if (api !== 'ice' && api !== 'mts') throw new UsageError(`--api must be ice or mts, got ${JSON.stringify(api)}`);
  // Flags win over the environment, which `npm run local-ice` prints and the deployed function honours too.
  const protocol = args.values.get('protocol') ?? nonEmpty(env.ICE_PROTOCOL);
  const protocolSource = args.values.has('protocol') ? '--protocol' : 'ICE_PROTOCOL';
  if (protocol !== undefined && protocol !== 'http' && protocol !== 'https') {
    throw new UsageError(`${protocolSource} must be http or https, got ${JSON.stringify(protocol)}`);
  }
  const endpoint = args.values.get('endpoint') ?? nonEmpty(env.ICE_ENDPOINT);
  const endpointSource = args.values.has('endpoint') ? '--endpoint' : 'ICE_ENDPOINT';
  if (endpoint !== undefined && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(endpoint)) {
    throw new UsageError(`${endpointSource} must be host[:port] without scheme, got ${JSON.stringify(endpoint)}`);
  }
  return { region, api, ...(endpoint ? { endpoint } : {}), ...(protocol ? { protocol } : {}) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function kindOf(args: ParsedArgs, g: Globals): Kind {
  const kind = args.values.get('kind') ?? 'iProduction';
  if (kind !== 'iProduction' && kind !== 'mediaProducing') {
    throw new UsageError(`--kind must be iProduction or mediaProducing, got ${JSON.stringify(kind)}`);
  }
  if (kind === 'mediaProducing' && g.api === 'mts') throw new UsageError('--kind mediaProducing needs --api ice (MPS has no timeline editing)');
  return kind;
}

function makeClient(g: Globals, io: CliIo): IProductionClient {
  let retry: ReturnType<typeof retryFromEnv>;
  try {
    retry = retryFromEnv(io.env ?? process.env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return new IProductionClient({
    region: g.region,
    api: g.api,
    ...(g.endpoint ? { endpoint: g.endpoint } : {}),
    ...(g.protocol ? { protocol: g.protocol } : {}),
    retry,
    onAttempt: attemptReporter(io),
    ...(io.sleep !== undefined ? { sleep: io.sleep } : {}),
  });
}

/** The command that waits for `jobId` again with the same target (options given as flags are repeated). */
function resumeCommand(jobId: string, kind: Kind, args: ParsedArgs): string {
  const parts = ['iprod', 'wait', jobId];
  if (kind === 'mediaProducing') parts.push('--kind', 'mediaProducing');
  for (const name of GLOBAL_VALUE_OPTIONS) {
    const value = args.values.get(name);
    if (value !== undefined) parts.push(`--${name}`, value);
  }
  return parts.join(' ');
}

function endpointOf(g: Globals): string {
  return `${g.protocol ?? 'https'}://${g.endpoint ?? endpointFor(g.api, g.region)}`;
}

function printIssues(io: CliIo, issues: readonly ValidationIssue[]): void {
  for (const issue of issues) io.stderr(`${issue.severity === 'error' ? 'error  ' : 'warning'}  ${issue.field}: ${issue.message}\n`);
}

function readJsonFile(io: CliIo, path: string): unknown {
  let text: string;
  try {
    text = (io.readFile ?? ((p: string) => fs.readFileSync(p, 'utf8')))(path);
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not JSON: ${(err as Error).message}`);
  }
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n') + '\n';
}

function functionsCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, [], ['json']);
  if (args.positional.length > 0) throw new UsageError(`functions takes no arguments, got ${JSON.stringify(args.positional[0])}`);
  const apiFilter = args.values.get('api');
  if (apiFilter !== undefined && apiFilter !== 'ice' && apiFilter !== 'mts') {
    throw new UsageError(`--api must be ice or mts, got ${JSON.stringify(apiFilter)}`);
  }
  const names = FUNCTION_NAMES.filter((f) => apiFilter === undefined || (CATALOGUE[f].apis as readonly string[]).includes(apiFilter));
  if (args.flags.has('json')) {
    io.stdout(JSON.stringify(names.map((name) => ({ name, ...CATALOGUE[name] })), null, 2) + '\n');
    return EXIT_OK;
  }
  const rows = [['FUNCTION', 'APIS', 'INPUT', 'OUTPUT', 'DESCRIPTION']];
  for (const name of names) {
    const spec = CATALOGUE[name];
    const out = spec.output.kind === 'none' ? '-' : `${spec.output.kind}${spec.output.formats.length ? ` (${spec.output.formats.join('/')})` : ''}`;
    rows.push([name, spec.apis.join(','), spec.input.kinds.join('/'), out, spec.description]);
  }
  io.stdout(table(rows));
  return EXIT_OK;
}

function validateRequest(request: unknown, kind: Kind, g: Globals): ValidationIssue[] {
  return kind === 'mediaProducing'
    ? validateMediaProducingJob(request, { region: g.region })
    : validateIProductionJob(request, { region: g.region, api: g.api });
}

function validateCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, ['kind'], []);
  if (args.positional.length !== 1) throw new UsageError('validate needs exactly one request file: iprod validate <request.json>');
  const g = globals(args, io);
  const kind = kindOf(args, g);
  const file = args.positional[0];
  const issues = validateRequest(readJsonFile(io, file), kind, g);
  printIssues(io, issues);
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  if (errors > 0) {
    io.stderr(`${file}: ${errors} error(s), ${warnings} warning(s)\n`);
    return EXIT_FAILED;
  }
  io.stdout(`${file}: valid${warnings > 0 ? ` (${warnings} warning(s))` : ''}\n`);
  return EXIT_OK;
}

/** `oss://` and `http(s)://` name OSS objects; anything else is a media asset id. */
function mediaType(value: string): 'OSS' | 'Media' {
  return /^(oss|https?):\/\//.test(value) ? 'OSS' : 'Media';
}

function buildRequestFromFlags(args: ParsedArgs, g: Globals): Record<string, unknown> {
  const fn = args.values.get('function');
  const input = args.values.get('input');
  const output = args.values.get('output');
  const missing = [['function', fn], ['input', input], ['output', output]].filter(([, v]) => v === undefined).map(([n]) => `--${n}`);
  if (missing.length > 0) throw new UsageError(`submit needs ${missing.join(', ')} (or --request <file>)`);
  if (!isFunctionName(fn)) {
    throw new UsageError(`--function must be one of ${FUNCTION_NAMES.join(', ')}, got ${JSON.stringify(fn)}`);
  }
  let params: unknown;
  const rawParams = args.values.get('params');
  if (rawParams !== undefined) {
    try {
      params = JSON.parse(rawParams);
    } catch (err) {
      throw new UsageError(`--params must be JSON, got ${JSON.stringify(rawParams)} (${(err as Error).message})`);
    }
  }
  const name = args.values.get('name');
  if (g.api === 'mts') {
    // MPS requires JobParams; an empty object asks for the defaults.
    if (name !== undefined) throw new UsageError('--name is not supported with --api mts: MPS jobs have no Name');
    return { FunctionName: fn as FunctionName, Input: input, Output: output, JobParams: params ?? {} };
  }
  return {
    FunctionName: fn as FunctionName,
    Input: { Type: mediaType(input!), Media: input },
    Output: { Type: mediaType(output!), Media: output },
    ...(params !== undefined ? { JobParams: params } : {}),
    ...(name !== undefined ? { Name: name } : {}),
  };
}

function parseTimeoutSeconds(args: ParsedArgs): number | undefined {
  const raw = args.values.get('timeout');
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(n > 0)) throw new UsageError(`--timeout must be a number of seconds greater than 0, got ${JSON.stringify(raw)}`);
  return n;
}

async function submitCommand(argv: string[], io: CliIo, state: RunState): Promise<number> {
  const args = parseArgs(argv, ['function', 'input', 'output', 'params', 'name', 'timeout', 'request', 'kind'], ['wait']);
  if (args.positional.length > 0) throw new UsageError(`submit takes options only, got ${JSON.stringify(args.positional[0])}`);
  const g = globals(args, io);
  state.globals = g;
  const kind = kindOf(args, g);
  const timeoutSeconds = parseTimeoutSeconds(args);
  if (timeoutSeconds !== undefined && !args.flags.has('wait')) throw new UsageError('--timeout only applies with --wait');
  const file = args.values.get('request');
  let request: unknown;
  if (file !== undefined) {
    const conflicting = ['function', 'input', 'output', 'params', 'name'].filter((o) => args.values.has(o));
    if (conflicting.length > 0) throw new UsageError(`--request cannot be combined with --${conflicting[0]}`);
    request = readJsonFile(io, file);
  } else {
    if (kind === 'mediaProducing') throw new UsageError('--kind mediaProducing needs --request <file> (a Timeline, TemplateId or ProjectId request)');
    request = buildRequestFromFlags(args, g);
  }
  const issues = validateRequest(request, kind, g);
  printIssues(io, issues);
  if (hasErrors(issues)) {
    io.stderr('not submitted: the request has errors\n');
    return EXIT_FAILED;
  }
  const client = makeClient(g, io);
  const submitted = (kind === 'mediaProducing'
    ? await client.submitMediaProducingJob(request as never)
    : await client.submitIProductionJob(request as never)) as unknown as Record<string, unknown>;
  const jobId = String(submitted.JobId);
  io.stdout(`submitted job ${jobId}\n`);
  if (!args.flags.has('wait')) return EXIT_OK;
  return printFollowed(io, await followJob(client, kind, jobId, io, { timeoutSeconds, resumeCommand: resumeCommand(jobId, kind, args) }));
}

async function waitCommand(argv: string[], io: CliIo, state: RunState): Promise<number> {
  const args = parseArgs(argv, ['kind', 'timeout'], []);
  if (args.positional.length !== 1) throw new UsageError('wait needs exactly one job id: iprod wait <jobId> [--kind mediaProducing]');
  const g = globals(args, io);
  state.globals = g;
  const kind = kindOf(args, g);
  const jobId = args.positional[0];
  const options = { timeoutSeconds: parseTimeoutSeconds(args), resumeCommand: resumeCommand(jobId, kind, args) };
  return printFollowed(io, await followJob(makeClient(g, io), kind, jobId, io, options));
}

async function statusCommand(argv: string[], io: CliIo, state: RunState): Promise<number> {
  const args = parseArgs(argv, ['kind'], []);
  if (args.positional.length !== 1) throw new UsageError('status needs exactly one job id: iprod status <jobId>');
  const g = globals(args, io);
  state.globals = g;
  const kind = kindOf(args, g);
  const client = makeClient(g, io);
  const jobId = args.positional[0];
  const job = kind === 'mediaProducing' ? await client.getMediaProducingJob(jobId) : await client.queryIProductionJob(jobId);
  io.stdout(JSON.stringify(job, null, 2) + '\n');
  return EXIT_OK;
}

/** What a failing command had resolved, so that its error can name the endpoint it talked to. */
interface RunState {
  globals?: Globals;
}

/** `iprod callbacks` options plus the global ones, and an ICE client from them. */
function callbacksArgs(argv: readonly string[], io: CliIo, state: RunState): CallbacksArgs {
  const args = parseArgs(argv, CALLBACKS_VALUE_OPTIONS, CALLBACKS_FLAG_OPTIONS);
  const g = globals(args, io);
  if (g.api !== 'ice') throw new UsageError('callbacks is an ICE setting (GetEventCallback/SetEventCallback): --api mts has none');
  state.globals = g;
  return { ...args, region: g.region, client: () => makeClient(g, io) };
}

/** `iprod jobs` options plus the global ones (only --region is used). */
function jobsArgs(argv: readonly string[], io: CliIo): JobsArgs {
  const args = parseArgs(argv, JOBS_VALUE_OPTIONS, JOBS_FLAG_OPTIONS);
  return { ...args, region: globals(args, io).region };
}

function describeFailure(err: unknown, state: RunState): string {
  const g = state.globals;
  return describeForPerson(err, g ? { url: endpointOf(g), protocol: g.protocol ?? 'https' } : undefined);
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  const state: RunState = {};
  const wantsHelp = rest.includes('-h') || rest.includes('--help');
  try {
    switch (command) {
      case undefined:
        io.stderr(USAGE);
        return EXIT_USAGE;
      case 'help':
      case '-h':
      case '--help':
        io.stdout(USAGE);
        return EXIT_OK;
      case 'functions':
        return wantsHelp ? help(io) : functionsCommand(rest, io);
      case 'validate':
        return wantsHelp ? help(io) : validateCommand(rest, io);
      case 'submit':
        return wantsHelp ? help(io) : await submitCommand(rest, io, state);
      case 'status':
        return wantsHelp ? help(io) : await statusCommand(rest, io, state);
      case 'wait':
        return wantsHelp ? help(io) : await waitCommand(rest, io, state);
      case 'callbacks':
        return wantsHelp ? (io.stdout(CALLBACKS_USAGE), EXIT_OK) : await callbacksCommand((a) => callbacksArgs(a, io, state), rest, io);
      case 'jobs':
        return wantsHelp ? (io.stdout(JOBS_USAGE), EXIT_OK) : await jobsCommand((a) => jobsArgs(a, io), rest, io);
      case 'policy-report':
        return await policyReportCommand(rest, io);
      case 'deploy':
        return await deployCommand(rest, io);
      case 'diff':
        return await diffCommand(rest, io);
      case 'destroy':
        return await destroyCommand(rest, io);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof CliSettingError) {
      io.stderr(`iprod: ${err.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    io.stderr(`iprod: ${describeFailure(err, state)}\n`);
    return (err as Error | null)?.name === 'InterruptedWaitError' ? EXIT_INTERRUPTED : EXIT_FAILED;
  }
}

function help(io: CliIo): number {
  io.stdout(USAGE);
  return EXIT_OK;
}

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: process.stdout.isTTY === true,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    env: process.env,
  };
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // A query abandoned by Ctrl-C may still hold a socket open for its read timeout: leave now.
      if (code === EXIT_INTERRUPTED) process.exit(code);
    },
    (err) => {
      process.stderr.write(`iprod: ${String(err)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
