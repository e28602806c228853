/**
 * `iprod deploy | diff | destroy` over the official ROS SDK. Each command returns its exit code:
 * 0 done or unchanged, 1 failed (or differs, with `diff --fail`), 2 usage, 3 approval refused.
 */
import * as fs from 'fs';
import * as readline from 'readline';
import { randomUUID } from 'crypto';
import type { CommandIo } from '../policy/cli';
import { ROS_ENDPOINT, ROS_LIMITS } from '../service';
import { AssemblyReadError } from '../policy/assembly';
import { RosTemplate } from '../policy/types';
import { DeployArgs, DeployUsageError, parseDeployArgs } from './args';
import { AssemblyStack, readStacks } from './assembly';
import {
  changesBetween, changesFromChangeSet, parameterChanges, renderParameterChanges, renderResourceChanges, ResourceChangeLine, sameTemplate,
} from './changes';
import { diffPermissions, permissionsOf, PrincipalChange, renderPermissionChanges } from './permissions';
import { errorCode, errorMessage, isStackNotFound, RosApi, RosApiOptions, StackEventRecord } from './ros-api';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_REFUSED = 3;

/** How long deploy waits between two looks at a stack or change set (the ROS CDK CLI polls every second). */
export const POLL_INTERVAL_MS = 1000;

export interface DeployIo extends CommandIo {
  /** Whether stdin and stdout are a terminal a person can answer on. @default false */
  readonly interactive?: boolean;
  /** Asks a question on the terminal and answers the line typed. @default readline on stdin/stdout */
  readonly prompt?: (question: string) => Promise<string>;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Pause between polls and before retries. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Monotonic clock for elapsed times and the wait deadline, in ms. @default process.hrtime */
  readonly clockMs?: () => number;
  /** ClientTokens and change set names. @default crypto.randomUUID */
  readonly randomUUID?: () => string;
  /** @default Math.random (backoff jitter) */
  readonly random?: () => number;
  /** @default - keys from env ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET (/ ALIBABA_CLOUD_SECURITY_TOKEN), else the official default chain */
  readonly credential?: RosApiOptions['credential'];
  /** @default fs.writeFileSync */
  readonly writeFile?: (path: string, text: string) => void;
}

export const DEPLOY_USAGE = `usage:
  iprod deploy  [STACK...] [--app DIR] [--region R] [--endpoint HOST[:PORT]] [--protocol https|http]
                [--require-approval never|broadening|any-change] [--yes] [--outputs-file FILE]
                [--parameters [STACK:]KEY=VALUE ...] [--timeout-minutes N]
  iprod diff    [STACK...] [--app DIR] [--region R] [--endpoint ...] [--protocol ...] [--fail]
  iprod destroy STACK... [--yes] [--region R] [--endpoint ...] [--protocol ...]

  --app DIR            cloud assembly (default cdk.out; run \`npm run synth\` first); stacks default to all of it
  --region R           default: the stack's env region, else env ALIBABA_CLOUD_REGION_ID
  --endpoint, --protocol  any ROS-compatible endpoint (default ${ROS_ENDPOINT} over https)
  --require-approval   broadening (default): stop before a change that widens RAM permissions unless --yes or a
                       person answers yes on a terminal; any-change: before any change; never
  --outputs-file FILE  write {stackName: {OutputKey: OutputValue}} as JSON
credentials: the Alibaba Cloud default chain (env ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET first)
exit codes: 0 done or unchanged, 1 failed (diff --fail: differs), 2 usage, 3 approval refused
`;

function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

function credentialFrom(io: DeployIo): RosApiOptions['credential'] {
  if (io.credential) return io.credential;
  const env = io.env ?? process.env;
  const id = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const secret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  // The default chain reads these first from process.env; an explicit io.env (tests, embedding) is honoured the same way.
  if (id && secret) return { accessKeyId: id, accessKeySecret: secret, ...(env.ALIBABA_CLOUD_SECURITY_TOKEN ? { securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN } : {}) };
  return undefined;
}

class Session {
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly uuid: () => string;
  private readonly apis = new Map<string, RosApi>();

  constructor(readonly io: DeployIo, readonly args: DeployArgs) {
    this.sleep = io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = io.clockMs ?? monotonicMs;
    this.uuid = io.randomUUID ?? randomUUID;
  }

  api(region: string): RosApi {
    let api = this.apis.get(region);
    if (!api) {
      api = new RosApi({
        region,
        ...(this.args.endpoint ? { endpoint: this.args.endpoint } : {}),
        ...(this.args.protocol ? { protocol: this.args.protocol } : {}),
        credential: credentialFrom(this.io),
        sleep: this.sleep,
        ...(this.io.random ? { random: this.io.random } : {}),
        onRetry: ({ action, attempt, delayMs, error }) =>
          this.io.stderr(`  ${action} answered ${errorCode(error) ?? 'an error'}; retry ${attempt} in ${Math.round(delayMs)} ms\n`),
      });
      this.apis.set(region, api);
    }
    return api;
  }

  regionOf(stack: { region?: string }, stackName: string): string {
    const region = this.args.region ?? stack.region ?? (this.io.env ?? process.env).ALIBABA_CLOUD_REGION_ID;
    if (!region) throw new DeployUsageError(`no region for stack ${stackName}: the assembly records none; pass --region or set ALIBABA_CLOUD_REGION_ID`);
    return region;
  }

  /** Yes from `--yes` or a person on a terminal; no otherwise (and says why). */
  async approve(question: string, refusal: string): Promise<boolean> {
    if (this.args.yes) return true;
    if (!this.io.interactive) {
      this.io.stderr(`${refusal}\n`);
      return false;
    }
    const answer = (await (this.io.prompt ?? terminalPrompt)(`${question} (y/n) `)).trim().toLowerCase();
    if (answer === 'y' || answer === 'yes') return true;
    this.io.stderr('not approved: nothing was changed\n');
    return false;
  }
}

function terminalPrompt(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  return new Promise((resolve) => rl.question(question, (line) => {
    rl.close();
    resolve(line);
  }));
}

function selectStacks(all: AssemblyStack[], names: readonly string[], app: string): AssemblyStack[] {
  if (all.length === 0) throw new DeployUsageError(`${app} holds no stack: run \`npm run synth\` first`);
  if (names.length === 0) return all;
  const unknown = names.filter((n) => !all.some((s) => s.stackName === n));
  if (unknown.length > 0) {
    throw new DeployUsageError(`no stack named ${unknown.map((n) => JSON.stringify(n)).join(', ')} in ${app} (it has ${all.map((s) => s.stackName).join(', ')})`);
  }
  return names.map((n) => all.find((s) => s.stackName === n)!);
}

function loadSelected(args: DeployArgs): AssemblyStack[] {
  try {
    return selectStacks(readStacks(args.app), args.stacks, args.app);
  } catch (err) {
    if (err instanceof AssemblyReadError) throw new DeployUsageError(err.message);
    throw err;
  }
}

/** The parameter values deploy sends: `--parameters` over the template's defaults, for declared keys only. */
function effectiveParameters(stack: AssemblyStack, args: DeployArgs): Record<string, string> {
  const declared = (stack.template.Parameters ?? {}) as Record<string, { Default?: unknown }>;
  const out: Record<string, string> = {};
  for (const [k, def] of Object.entries(declared)) {
    if (def?.Default !== undefined) out[k] = typeof def.Default === 'string' ? def.Default : JSON.stringify(def.Default);
  }
  for (const p of args.parameters) {
    if (p.stack !== undefined && p.stack !== stack.stackName) continue;
    if (!(p.key in declared)) {
      if (p.stack !== undefined) throw new DeployUsageError(`--parameters ${p.stack}:${p.key}: stack ${p.stack} declares no parameter ${p.key} (it has ${Object.keys(declared).join(', ') || 'none'})`);
      continue;
    }
    out[p.key] = p.value;
  }
  return out;
}

function checkParametersUsed(stacks: AssemblyStack[], args: DeployArgs): void {
  for (const p of args.parameters) {
    if (p.stack !== undefined) {
      if (!stacks.some((s) => s.stackName === p.stack)) throw new DeployUsageError(`--parameters ${p.stack}:${p.key}: no stack ${p.stack} is being deployed`);
      continue;
    }
    if (!stacks.some((s) => p.key in ((s.template.Parameters ?? {}) as object))) {
      throw new DeployUsageError(`--parameters ${p.key}: no stack being deployed declares a parameter ${p.key}`);
    }
  }
}

interface Preview {
  readonly resources: ResourceChangeLine[];
  readonly permissions: PrincipalChange[];
  readonly parameters: ReturnType<typeof parameterChanges>;
}

function printPreview(io: DeployIo, p: Preview): void {
  io.stdout('Resources\n');
  io.stdout(renderResourceChanges(p.resources));
  io.stdout('RAM permissions\n');
  io.stdout(renderPermissionChanges(p.permissions));
  if (p.parameters.length > 0) {
    io.stdout('Parameters\n');
    io.stdout(renderParameterChanges(p.parameters));
  }
}

function hasChanges(p: Preview): boolean {
  return p.resources.length > 0 || p.permissions.length > 0 || p.parameters.length > 0;
}

const TERMINAL = /_(COMPLETE|FAILED)$/;

type Outcome = 'done' | 'unchanged' | 'refused' | 'failed';

/** Follows a stack's events until its status is terminal; prints one line per event. */
async function follow(s: Session, api: RosApi, stackId: string, stackName: string, total: number, seen: Set<string>): Promise<{ status: string; reason?: string; events: StackEventRecord[]; gone: boolean }> {
  const started = s.now();
  const deadlineMs = ((s.args.timeoutMinutes ?? ROS_LIMITS.stackTimeoutDefaultMinutes) + 5) * 60_000;
  const all: StackEventRecord[] = [];
  const done = new Set<string>();
  // ROS starts an operation asynchronously: until the stack shows it (an event of ours, or an IN_PROGRESS status),
  // a terminal status is the previous operation's and must not end the wait.
  let begun = false;
  for (;;) {
    let status: string;
    let reason: string | undefined;
    let gone = false;
    try {
      const events = await api.newEvents(stackId, seen);
      for (const e of events) {
        seen.add(e.eventId);
        all.push(e);
        begun = true;
        if (e.logicalResourceId !== stackName && /_COMPLETE$/.test(e.status)) done.add(e.logicalResourceId);
        const elapsed = Math.round((s.now() - started) / 1000);
        const why = /FAILED/.test(e.status) && e.statusReason ? `: ${e.statusReason}` : '';
        const count = total > 0 ? `[${String(done.size).padStart(String(total).length)}/${total}] ` : '';
        s.io.stdout(`  ${count}${elapsed}s  ${e.status.padEnd(20)} ${e.resourceType.padEnd(28)} ${e.logicalResourceId}${why}\n`);
      }
      const st = await api.getStack(stackId);
      status = st.status;
      reason = st.statusReason;
    } catch (err) {
      // A deleted stack stops being found: that is the end of a delete.
      if (!isStackNotFound(err)) throw err;
      status = 'DELETE_COMPLETE';
      gone = true;
    }
    if (/_IN_PROGRESS$/.test(status)) begun = true;
    if ((begun || gone) && TERMINAL.test(status)) return { status, reason, events: all, gone };
    if (s.now() - started > deadlineMs) {
      throw new Error(`${stackName} is still ${status} after ${Math.round(deadlineMs / 60_000)} minutes; ROS continues it, follow it in the console`);
    }
    await s.sleep(POLL_INTERVAL_MS);
  }
}

function printFailures(io: DeployIo, stackName: string, status: string, reason: string | undefined, events: StackEventRecord[]): void {
  io.stderr(`${stackName}: ${status}${reason ? ` (${reason})` : ''}\n`);
  const failed = events.filter((e) => /_FAILED$/.test(e.status) && e.logicalResourceId !== stackName);
  if (failed.length > 0) {
    io.stderr('failed resources:\n');
    for (const e of failed) io.stderr(`  ${e.logicalResourceId} (${e.resourceType}) ${e.status}: ${e.statusReason ?? 'no reason given'}\n`);
  }
}

function printOutputs(io: DeployIo, outputs: Array<{ OutputKey: string; OutputValue: unknown }>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (outputs.length > 0) io.stdout('Outputs\n');
  for (const o of outputs) {
    out[o.OutputKey] = o.OutputValue;
    io.stdout(`  ${o.OutputKey} = ${typeof o.OutputValue === 'string' ? o.OutputValue : JSON.stringify(o.OutputValue)}\n`);
  }
  return out;
}

async function waitForChangeSet(s: Session, api: RosApi, id: string): Promise<Awaited<ReturnType<RosApi['getChangeSet']>>> {
  const started = s.now();
  for (;;) {
    const cs = await api.getChangeSet(id);
    if (cs.status === 'CREATE_COMPLETE' || /FAILED/.test(cs.status)) return cs;
    if (s.now() - started > 10 * 60_000) throw new Error(`change set ${id} is still ${cs.status} after 10 minutes`);
    await s.sleep(POLL_INTERVAL_MS);
  }
}

function isSameStack(err: unknown): boolean {
  return errorCode(err) === 'NotSupported' && /completely same/i.test(errorMessage(err));
}

async function deployStack(s: Session, stack: AssemblyStack, outputs: Record<string, Record<string, unknown>>): Promise<Outcome> {
  const { io, args } = s;
  const region = s.regionOf(stack, stack.stackName);
  const api = s.api(region);
  const parameters = effectiveParameters(stack, args);
  io.stdout(`${stack.stackName} (${region}, ${api.describeEndpoint()})\n`);
  const existing = await api.findStack(stack.stackName);
  if (existing && /_IN_PROGRESS$/.test(existing.status)) {
    io.stderr(`${stack.stackName} is ${existing.status}: wait until ROS finishes it, then deploy again\n`);
    return 'failed';
  }
  const total = Object.keys(stack.template.Resources ?? {}).length;
  const seen = new Set<string>();
  let stackId: string;
  let expected: string;
  const gate = async (preview: Preview): Promise<boolean> => {
    const broadening = preview.permissions.some((p) => p.broadening);
    const needs = args.requireApproval === 'any-change' ? hasChanges(preview) : args.requireApproval === 'broadening' ? broadening : false;
    if (!needs) return true;
    const why = args.requireApproval === 'any-change' ? 'changes the stack' : 'broadens RAM permissions (marked above)';
    return s.approve(`${stack.stackName} ${why}. Deploy it?`,
      `${stack.stackName}: this deployment ${why} and --require-approval ${args.requireApproval} needs approval: ` +
      're-run with --yes, or run it on a terminal and answer the question. Nothing was changed.');
  };
  if (!existing) {
    const preview: Preview = {
      resources: changesBetween(undefined, stack.template),
      permissions: diffPermissions(new Map(), permissionsOf(stack.template, stack.stackName)),
      parameters: [],
    };
    io.stdout('new stack\n');
    printPreview(io, preview);
    if (!(await gate(preview))) return 'refused';
    stackId = await api.createStack({
      stackName: stack.stackName, templateBody: stack.body, parameters, clientToken: s.uuid(), tags: stack.tags,
      ...(args.timeoutMinutes !== undefined ? { timeoutInMinutes: args.timeoutMinutes } : {}),
    });
    expected = 'CREATE_COMPLETE';
  } else {
    stackId = existing.stackId;
    const deployedBody = await api.getTemplate(stackId);
    const deployed = await api.getStack(stackId);
    let deployedTemplate: RosTemplate | undefined;
    try {
      deployedTemplate = JSON.parse(deployedBody) as RosTemplate;
    } catch {
      deployedTemplate = undefined;
    }
    const paramChanges = parameterChanges(deployed.parameters, parameters);
    const unchanged = (): Outcome => {
      io.stdout(`${stack.stackName}: unchanged (${existing.status})\n`);
      outputs[stack.stackName] = printOutputs(io, deployed.outputs);
      return 'unchanged';
    };
    if (deployedTemplate && sameTemplate(deployedTemplate, stack.template) && paramChanges.length === 0) return unchanged();
    let changeSetId: string;
    try {
      changeSetId = await api.createChangeSet({
        stackId, changeSetName: `iprod-${s.uuid().replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}`, templateBody: stack.body, parameters,
        clientToken: s.uuid(), ...(args.timeoutMinutes !== undefined ? { timeoutInMinutes: args.timeoutMinutes } : {}),
      });
    } catch (err) {
      if (isSameStack(err)) return unchanged();
      throw err;
    }
    const cs = await waitForChangeSet(s, api, changeSetId);
    if (cs.status !== 'CREATE_COMPLETE') {
      if (/no changes|completely same/i.test(cs.statusReason ?? '')) return unchanged();
      io.stderr(`${stack.stackName}: ROS could not prepare the change: ${cs.statusReason ?? cs.status}\n`);
      return 'failed';
    }
    const preview: Preview = {
      resources: changesFromChangeSet(cs.changes),
      permissions: diffPermissions(permissionsOf(deployedTemplate, stack.stackName), permissionsOf(stack.template, stack.stackName)),
      parameters: paramChanges,
    };
    printPreview(io, preview);
    if (!(await gate(preview))) {
      await api.deleteChangeSet(changeSetId);
      return 'refused';
    }
    for (const e of await api.newEvents(stackId, seen)) seen.add(e.eventId);
    await api.executeChangeSet(changeSetId, s.uuid());
    expected = 'UPDATE_COMPLETE';
  }
  const result = await follow(s, api, stackId, stack.stackName, total, seen);
  if (result.status !== expected) {
    printFailures(io, stack.stackName, result.status, result.reason, result.events);
    return 'failed';
  }
  io.stdout(`${stack.stackName}: ${result.status}\n`);
  const details = await api.getStack(stackId);
  outputs[stack.stackName] = printOutputs(io, details.outputs);
  return 'done';
}

function exitCodeOf(outcomes: Outcome[]): number {
  if (outcomes.includes('refused')) return EXIT_REFUSED;
  if (outcomes.includes('failed')) return EXIT_FAILED;
  return EXIT_OK;
}

async function withErrors(io: DeployIo, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DeployUsageError) {
      io.stderr(`iprod: ${err.message}\n\n${DEPLOY_USAGE}`);
      return EXIT_USAGE;
    }
    const code = errorCode(err);
    io.stderr(`iprod: ${code ? `${code}: ` : ''}${errorMessage(err)}\n`);
    return EXIT_FAILED;
  }
}

export async function deployCommand(argv: readonly string[], io: DeployIo): Promise<number> {
  return withErrors(io, async () => {
    const args = parseDeployArgs('deploy', argv);
    if (args.help) {
      io.stdout(DEPLOY_USAGE);
      return EXIT_OK;
    }
    const stacks = loadSelected(args);
    checkParametersUsed(stacks, args);
    const s = new Session(io, args);
    for (const st of stacks) s.regionOf(st, st.stackName);
    const outputs: Record<string, Record<string, unknown>> = {};
    const outcomes: Outcome[] = [];
    try {
      for (const stack of stacks) {
        const outcome = await deployStack(s, stack, outputs);
        outcomes.push(outcome);
        if (outcome === 'refused' || outcome === 'failed') break;
      }
    } finally {
      if (args.outputsFile !== undefined) {
        (io.writeFile ?? ((p, t) => fs.writeFileSync(p, t)))(args.outputsFile, JSON.stringify(outputs, null, 2) + '\n');
      }
    }
    return exitCodeOf(outcomes);
  });
}

export async function diffCommand(argv: readonly string[], io: DeployIo): Promise<number> {
  return withErrors(io, async () => {
    const args = parseDeployArgs('diff', argv);
    if (args.help) {
      io.stdout(DEPLOY_USAGE);
      return EXIT_OK;
    }
    const stacks = loadSelected(args);
    const s = new Session(io, args);
    let differs = false;
    for (const stack of stacks) {
      const region = s.regionOf(stack, stack.stackName);
      const api = s.api(region);
      io.stdout(`${stack.stackName} (${region}, ${api.describeEndpoint()})\n`);
      const existing = await api.findStack(stack.stackName);
      let before: RosTemplate | undefined;
      let deployedParameters: Record<string, string> = {};
      if (!existing) {
        io.stdout('not deployed: everything below would be created\n');
      } else {
        before = JSON.parse(await api.getTemplate(existing.stackId)) as RosTemplate;
        deployedParameters = (await api.getStack(existing.stackId)).parameters;
      }
      const preview: Preview = {
        resources: changesBetween(before, stack.template),
        permissions: diffPermissions(permissionsOf(before, stack.stackName), permissionsOf(stack.template, stack.stackName)),
        parameters: existing ? parameterChanges(deployedParameters, effectiveParameters(stack, args)) : [],
      };
      const templateDiffers = !existing || !sameTemplate(before, stack.template);
      if (!templateDiffers && preview.parameters.length === 0) {
        io.stdout('no differences\n');
        continue;
      }
      differs = true;
      printPreview(io, preview);
      if (existing && !hasChanges(preview)) io.stdout('  (the template differs outside Resources: outputs, description or metadata)\n');
    }
    return differs && args.fail ? EXIT_FAILED : EXIT_OK;
  });
}

export async function destroyCommand(argv: readonly string[], io: DeployIo): Promise<number> {
  return withErrors(io, async () => {
    const args = parseDeployArgs('destroy', argv);
    if (args.help) {
      io.stdout(DEPLOY_USAGE);
      return EXIT_OK;
    }
    const s = new Session(io, args);
    // The assembly only supplies each stack's region when --region is not given; it may not exist.
    let known: AssemblyStack[] = [];
    try {
      if (!args.region) known = readStacks(args.app);
    } catch {
      known = [];
    }
    const outcomes: Outcome[] = [];
    for (const name of args.stacks) {
      const region = s.regionOf(known.find((k) => k.stackName === name) ?? {}, name);
      const api = s.api(region);
      const existing = await api.findStack(name);
      if (!existing) {
        io.stdout(`${name}: no such stack in ${region} (${api.describeEndpoint()}); nothing to destroy\n`);
        outcomes.push('unchanged');
        continue;
      }
      const approved = await s.approve(`Delete stack ${name} (${existing.status}) in ${region} and every resource it holds?`,
        `${name}: refusing to destroy without --yes: no terminal to ask on. Nothing was changed.`);
      if (!approved) {
        outcomes.push('refused');
        break;
      }
      const seen = new Set<string>();
      for (const e of await api.newEvents(existing.stackId, seen)) seen.add(e.eventId);
      await api.deleteStack(existing.stackId);
      io.stdout(`${name}: deleting\n`);
      const result = await follow(s, api, existing.stackId, name, 0, seen);
      if (result.status !== 'DELETE_COMPLETE') {
        printFailures(io, name, result.status, result.reason, result.events);
        outcomes.push('failed');
        break;
      }
      io.stdout(`${name}: destroyed\n`);
      outcomes.push('done');
    }
    return exitCodeOf(outcomes);
  });
}

/** The process's terminal, environment and file system. */
export function processDeployIo(): DeployIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    env: process.env,
  };
}
