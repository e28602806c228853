/**
 * `npm run local-endpoints [-- --ots-port 8092 --mns-port 8093 --queue NAME --topic NAME --subscribe TOPIC:QUEUE[:FORMAT]
 *   --ledger-table NAME --ms-per-wait-second N --exit-after SECONDS --verbose]`
 * Starts the local Tablestore and MNS endpoints on 127.0.0.1 and prints what to export; runs until SIGINT/SIGTERM.
 */
import { JobLedger } from '../../lib/runtime/ledger';
import { LocalMns, LocalMnsOptions, NotifyContentFormat, startLocalMns } from '../mns-endpoint';
import { LocalOts, LocalOtsOptions, startLocalOts } from '../ots-endpoint';
import { FlagReader } from '../support/flags';

export interface EndpointsCli {
  readonly otsPort: number;
  readonly mnsPort: number;
  readonly queues: readonly string[];
  readonly topics: readonly string[];
  readonly subscriptions: readonly { topic: string; queue: string; format: NotifyContentFormat }[];
  readonly ledgerTable?: string;
  readonly msPerWaitSecond?: number;
  readonly exitAfterSeconds?: number;
  readonly verbose: boolean;
}

const USAGE =
  'usage: local-endpoints [--ots-port N (8092)] [--mns-port N (8093)] [--queue NAME]... [--topic NAME]... ' +
  '[--subscribe TOPIC:QUEUE[:SIMPLIFIED|XML|JSON]]... [--ledger-table NAME] [--ms-per-wait-second N] [--exit-after SECONDS] [--verbose]';

/** Parses the flags; throws an Error naming the flag, the rule and the value on bad input. */
export function parseEndpointsArgs(argv: readonly string[]): EndpointsCli {
  let otsPort = 8092;
  let mnsPort = 8093;
  const queues: string[] = [];
  const topics: string[] = [];
  const subscriptions: { topic: string; queue: string; format: NotifyContentFormat }[] = [];
  let ledgerTable: string | undefined;
  let msPerWaitSecond: number | undefined;
  let exitAfterSeconds: number | undefined;
  let verbose = false;
  const flags = new FlagReader(argv, USAGE);
  const value = flags.value.bind(flags);
  const port = flags.port.bind(flags);
  while (flags.next()) {
    const flag = flags.flag;
    const name = () => {
      const v = value();
      if (!/^[a-zA-Z][a-zA-Z0-9-]{0,255}$/.test(v)) {
        throw new Error(`${flag} must start with a letter and hold 1-256 letters, digits or '-', got ${JSON.stringify(v)}`);
      }
      return v;
    };
    switch (flag) {
      case '--ots-port':
        otsPort = port();
        break;
      case '--mns-port':
        mnsPort = port();
        break;
      case '--queue':
        queues.push(name());
        break;
      case '--topic':
        topics.push(name());
        break;
      case '--subscribe': {
        const raw = value();
        const [topic, queue, format = 'SIMPLIFIED', ...rest] = raw.split(':');
        if (!topic || !queue || rest.length > 0 || !['SIMPLIFIED', 'XML', 'JSON'].includes(format)) {
          throw new Error(`--subscribe must be TOPIC:QUEUE or TOPIC:QUEUE:SIMPLIFIED|XML|JSON, got ${JSON.stringify(raw)}`);
        }
        subscriptions.push({ topic, queue, format: format as NotifyContentFormat });
        break;
      }
      case '--ledger-table': {
        const v = value();
        if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,254}$/.test(v)) {
          throw new Error(`--ledger-table must be letters, digits or '_' not starting with a digit, got ${JSON.stringify(v)}`);
        }
        ledgerTable = v;
        break;
      }
      case '--ms-per-wait-second':
        msPerWaitSecond = flags.number((n) => Number.isFinite(n) && n >= 0, 'a number >= 0');
        break;
      case '--exit-after':
        exitAfterSeconds = flags.number((n) => Number.isFinite(n) && n > 0, 'a number of seconds > 0');
        break;
      case '--verbose':
        verbose = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw flags.unknown();
    }
  }
  return { otsPort, mnsPort, queues, topics, subscriptions, ledgerTable, msPerWaitSecond, exitAfterSeconds, verbose };
}

export interface RunningEndpoints {
  readonly ots: LocalOts;
  readonly mns: LocalMns;
  close(): Promise<void>;
}

/** Starts both endpoints and sets up the queues, topics, subscriptions and ledger table the flags ask for. */
export async function startEndpoints(cli: EndpointsCli, log: (line: string) => void = () => undefined): Promise<RunningEndpoints> {
  const otsOptions: LocalOtsOptions = {
    port: cli.otsPort,
    onRequest: cli.verbose ? (r) => log(`ots ${r.statusCode || 'reset'} ${r.operation}${r.table ? ` ${r.table}` : ''}${r.code ? ` ${r.code}` : ''}`) : undefined,
  };
  const mnsOptions: LocalMnsOptions = {
    port: cli.mnsPort,
    msPerWaitSecond: cli.msPerWaitSecond,
    onRequest: cli.verbose ? (r) => log(`mns ${r.statusCode || 'reset'} ${r.action ?? r.method} ${r.resource}${r.code ? ` ${r.code}` : ''}`) : undefined,
  };
  const ots = await startLocalOts(otsOptions);
  let mns: LocalMns;
  try {
    mns = await startLocalMns(mnsOptions);
  } catch (err) {
    await ots.close();
    throw err;
  }
  const close = async () => {
    await ots.close();
    await mns.close();
  };
  try {
    for (const q of cli.queues) mns.createQueue(q);
    for (const t of cli.topics) mns.createTopic(t);
    cli.subscriptions.forEach((s, i) => mns.subscribe({ topic: s.topic, queue: s.queue, name: `sub-${i + 1}`, notifyContentFormat: s.format }));
    if (cli.ledgerTable) {
      await new JobLedger({
        endpoint: ots.endpoint,
        instanceName: ots.instanceName,
        credentials: { accessKeyId: ots.accessKeyId, accessKeySecret: ots.accessKeySecret },
        tableName: cli.ledgerTable,
      }).ensureTable();
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { ots, mns, close };
}

export function bannerLines(ots: LocalOts, mns: LocalMns): string[] {
  return [
    `local Tablestore endpoint ${ots.endpoint} instance ${ots.instanceName} (AccessKey ${ots.accessKeyId} / ${ots.accessKeySecret})`,
    `local MNS endpoint ${mns.endpoint} account ${mns.accountId} (AccessKey ${mns.accessKeyId} / ${mns.accessKeySecret})`,
  ];
}

async function main(argv: readonly string[]): Promise<number> {
  let cli: EndpointsCli;
  try {
    cli = parseEndpointsArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const running = await startEndpoints(cli, (line) => process.stdout.write(`${line}\n`));
  for (const line of bannerLines(running.ots, running.mns)) {
    process.stdout.write(`${line}\n`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    if (cli.exitAfterSeconds !== undefined) {
      setTimeout(resolve, cli.exitAfterSeconds * 1000).unref();
    }
  });
  await running.close();
  process.stdout.write('local endpoints stopped\n');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: Error) => {
      process.stderr.write(`local-endpoints: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
