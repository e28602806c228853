import * as fs from 'fs';
import * as path from 'path';
import { AssemblyReadError, reviewAssembly } from './assembly';
import { renderJson } from './report-json';
import { renderMarkdown } from './report-markdown';
import { renderSarif } from './report-sarif';
import { blockingFindings, countFindings } from './review';
import { PolicyReview } from './types';

export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Clock for suppression expiry. @default () => new Date() */
  now?: () => Date;
}

const FORMATS = ['md', 'json', 'sarif'] as const;
type Format = typeof FORMATS[number];
const THRESHOLDS = ['error', 'warning', 'info'] as const;
type Threshold = typeof THRESHOLDS[number];

export const POLICY_REPORT_USAGE = `Usage: iprod policy-report [DIR] [options]

Reviews every RAM policy, role trust, bucket and function of a synthesized cloud assembly.

  DIR                      cloud assembly directory (default: cdk.out)
  --format md|json|sarif   report format (default: md)
  --fail-on error|warning|info
                           exit 1 when unsuppressed findings reach this severity (default: error)
  --output FILE            write the report to FILE instead of stdout
  --region REGION          value for ALIYUN::Region where templates leave it open
  --account-id ID          value for ALIYUN::AccountId
  -h, --help               show this help

Exit codes: 0 no blocking finding, 1 blocking findings, 2 usage or read error.
`;

interface Args {
  dir: string;
  format: Format;
  failOn: Threshold;
  output?: string;
  region?: string;
  accountId?: string;
  help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const args: Args = { dir: 'cdk.out', format: 'md', failOn: 'error', help: false };
  let dirSet = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h': case '--help': args.help = true; break;
      case '--format': {
        const v = value();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${v}"`);
        args.format = v as Format;
        break;
      }
      case '--fail-on': {
        const v = value();
        if (!(THRESHOLDS as readonly string[]).includes(v)) throw new UsageError(`--fail-on must be one of ${THRESHOLDS.join(', ')}, got "${v}"`);
        args.failOn = v as Threshold;
        break;
      }
      case '--output': args.output = value(); break;
      case '--region': args.region = value(); break;
      case '--account-id': args.accountId = value(); break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option "${a}"`);
        if (dirSet) throw new UsageError(`only one directory can be reviewed, got "${args.dir}" and "${a}"`);
        args.dir = a;
        dirSet = true;
    }
  }
  return args;
}

/** The assembly directory relative to the working directory, when it lies inside it (CI checkouts). */
function uriPrefixFor(dir: string): string {
  const rel = path.relative(process.cwd(), path.resolve(dir));
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? '' : rel.split(path.sep).join('/') + '/';
}

function render(review: PolicyReview, format: Format, dir: string): string {
  if (format === 'json') return renderJson(review);
  if (format === 'sarif') return renderSarif(review, { uriPrefix: uriPrefixFor(dir) });
  return renderMarkdown(review);
}

/**
 * Creates a directory and its missing parents one by one. Node's `mkdirSync(dir, { recursive: true })` never
 * returns for a path under /proc (it keeps retrying the ENOENT the kernel answers); each plain mkdir fails at once.
 */
function makeParents(dir: string): void {
  const missing: string[] = [];
  let current = dir;
  while (!fs.existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const d of missing) fs.mkdirSync(d);
}

/** `iprod policy-report`: returns the exit code (0 clean, 1 blocking findings, 2 usage or read error). */
export async function policyReportCommand(argv: string[], io: CommandIo): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`policy-report: ${e.message}\n\n${POLICY_REPORT_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout(POLICY_REPORT_USAGE);
    return 0;
  }
  let review: PolicyReview;
  try {
    review = reviewAssembly(args.dir, { region: args.region, accountId: args.accountId, now: io.now });
  } catch (e) {
    if (!(e instanceof AssemblyReadError)) throw e;
    io.stderr(`policy-report: ${e.message}\n`);
    return 2;
  }
  const text = render(review, args.format, args.dir);
  if (args.output) {
    try {
      makeParents(path.dirname(path.resolve(args.output)));
      fs.writeFileSync(args.output, text);
    } catch (e) {
      io.stderr(`policy-report: cannot write --output ${args.output}: ${(e as Error).message}\n`);
      return 2;
    }
  } else {
    io.stdout(text);
  }
  const blocking = blockingFindings(review, args.failOn);
  const c = countFindings(review);
  io.stderr(`policy-report: ${c.error} error(s), ${c.warning} warning(s), ${c.info} info, ${c.suppressed} suppressed; `
    + `${blocking.length} at or above --fail-on ${args.failOn}${args.output ? `; report written to ${args.output}` : ''}\n`);
  return blocking.length > 0 ? 1 : 0;
}
