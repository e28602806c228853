/** Command lines of `iprod deploy | diff | destroy`, checked up front: each error names the option and the value. */
import { REGION_ID_PATTERN, ROS_LIMITS } from '../service';

export class DeployUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployUsageError';
  }
}

export type Approval = 'never' | 'broadening' | 'any-change';
export const APPROVALS: readonly Approval[] = ['never', 'broadening', 'any-change'];

export interface DeployArgs {
  readonly stacks: string[];
  readonly app: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly protocol?: 'http' | 'https';
  readonly requireApproval: Approval;
  readonly yes: boolean;
  readonly fail: boolean;
  readonly outputsFile?: string;
  /** `[STACK:]KEY=VALUE`: stack undefined applies to every stack declaring KEY. */
  readonly parameters: Array<{ stack?: string; key: string; value: string }>;
  readonly timeoutMinutes?: number;
  readonly help: boolean;
}

type Command = 'deploy' | 'diff' | 'destroy';

const VALUE_OPTIONS: Record<Command, string[]> = {
  deploy: ['app', 'region', 'endpoint', 'protocol', 'require-approval', 'outputs-file', 'parameters', 'timeout-minutes'],
  diff: ['app', 'region', 'endpoint', 'protocol'],
  destroy: ['region', 'endpoint', 'protocol', 'app'],
};
const FLAG_OPTIONS: Record<Command, string[]> = { deploy: ['yes'], diff: ['fail'], destroy: ['yes'] };

const ENDPOINT = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;
const PARAMETER = /^(?:([A-Za-z][A-Za-z0-9_-]*):)?([A-Za-z0-9_][A-Za-z0-9_.-]*)=(.*)$/s;

function parseParameter(raw: string): { stack?: string; key: string; value: string } {
  const m = PARAMETER.exec(raw);
  if (!m) throw new DeployUsageError(`--parameters takes [STACK:]KEY=VALUE, got ${JSON.stringify(raw)}`);
  return { ...(m[1] ? { stack: m[1] } : {}), key: m[2], value: m[3] };
}

export function parseDeployArgs(command: Command, argv: readonly string[]): DeployArgs {
  const values = new Map<string, string>();
  const parameters: DeployArgs['parameters'] = [];
  const flags = new Set<string>();
  const stacks: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      flags.add('help');
      continue;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-')) throw new DeployUsageError(`unknown option ${arg}`);
      stacks.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (VALUE_OPTIONS[command].includes(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new DeployUsageError(`option --${name} needs a value`);
      if (name === 'parameters') {
        parameters.push(parseParameter(value));
        // `--parameters A=1 B=2`: the words after it that look like KEY=VALUE are parameters too (stack names
        // cannot hold '=').
        while (eq === -1 && i + 1 < argv.length && !argv[i + 1].startsWith('-') && argv[i + 1].includes('=')) parameters.push(parseParameter(argv[++i]));
        continue;
      }
      if (values.has(name)) throw new DeployUsageError(`option --${name} given twice`);
      values.set(name, value);
    } else if (FLAG_OPTIONS[command].includes(name)) {
      if (eq !== -1) throw new DeployUsageError(`option --${name} takes no value, got ${JSON.stringify(arg.slice(eq + 1))}`);
      flags.add(name);
    } else {
      throw new DeployUsageError(`unknown option --${name} for ${command}`);
    }
  }
  const region = values.get('region');
  if (region !== undefined && !REGION_ID_PATTERN.test(region)) throw new DeployUsageError(`--region must look like cn-shanghai, got ${JSON.stringify(region)}`);
  const endpoint = values.get('endpoint');
  if (endpoint !== undefined && !ENDPOINT.test(endpoint)) throw new DeployUsageError(`--endpoint must be HOST[:PORT] without a scheme, got ${JSON.stringify(endpoint)}`);
  const protocol = values.get('protocol');
  if (protocol !== undefined && protocol !== 'http' && protocol !== 'https') throw new DeployUsageError(`--protocol must be https or http, got ${JSON.stringify(protocol)}`);
  const approval = values.get('require-approval') ?? 'broadening';
  if (!(APPROVALS as readonly string[]).includes(approval)) {
    throw new DeployUsageError(`--require-approval must be one of ${APPROVALS.join(', ')}, got ${JSON.stringify(approval)}`);
  }
  const rawTimeout = values.get('timeout-minutes');
  let timeoutMinutes: number | undefined;
  if (rawTimeout !== undefined) {
    timeoutMinutes = Number(rawTimeout);
    const { stackTimeoutMinMinutes: min, stackTimeoutMaxMinutes: max } = ROS_LIMITS;
    if (!/^\d+$/.test(rawTimeout) || timeoutMinutes < min || timeoutMinutes > max) {
      throw new DeployUsageError(`--timeout-minutes must be a whole number of minutes from ${min} to ${max} (ROS's range), got ${JSON.stringify(rawTimeout)}`);
    }
  }
  const help = flags.has('help');
  if (command === 'destroy' && stacks.length === 0 && !help) throw new DeployUsageError('destroy needs the name of each stack to delete: iprod destroy STACK... [--yes]');
  return {
    stacks,
    app: values.get('app') ?? 'cdk.out',
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(protocol ? { protocol: protocol as 'http' | 'https' } : {}),
    requireApproval: approval as Approval,
    yes: flags.has('yes'),
    fail: flags.has('fail'),
    ...(values.has('outputs-file') ? { outputsFile: values.get('outputs-file') } : {}),
    parameters,
    ...(timeoutMinutes !== undefined ? { timeoutMinutes } : {}),
    help,
  };
}
