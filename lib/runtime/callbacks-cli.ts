/**
 * `iprod callbacks show|set`: ICE's event callback for the region. The setting is account-wide per region, so `set`
 * reads it first: identical is a no-op, different is refused unless `--force`.
 */
import type { IProductionClient } from './client';
import { CliSettingError, type WaitIo } from './cli';
import {
  checkEventCallbackSetting,
  decideSet,
  describeCallback,
  EventCallbackSettingError,
  parseEventTypes,
  type EventCallback,
  type EventCallbackSetting,
} from './callbacks';

const EXIT_OK = 0;
const EXIT_FAILED = 1;

/** Environment variable holding an HTTP callback's AuthKey (a secret: never a command-line flag). */
export const CALLBACK_AUTH_KEY_ENV = 'ICE_CALLBACK_AUTH_KEY';

export const CALLBACKS_USAGE = `usage: iprod callbacks show [--json] [global options]
       iprod callbacks set --queue ice-callback-NAME [--events E1,E2] [--force] [--json] [global options]
       iprod callbacks set --url https://HOST/PATH [--events E1,E2] [--force] [--json] [global options]

ICE's event callback (GetEventCallback / SetEventCallback) is one setting per region for the whole account.
  show       print the region's current setting
  set        set it: --queue an MNS queue in the region (its name must start with ice-callback-), or --url an
             HTTP address (with env ${CALLBACK_AUTH_KEY_ENV} set, callbacks are signed with that key: AuthSwitch on)
  --events   comma-separated event types (default AIProduceComplete)
  --force    replace a different existing setting (without it, set refuses and says what is set now);
             an identical setting is left alone either way
`;

/** The command line as the CLI parsed it, and an ICE client built from its global options. */
export interface CallbacksArgs {
  readonly positional: readonly string[];
  readonly values: ReadonlyMap<string, string>;
  readonly flags: ReadonlySet<string>;
  readonly region: string;
  readonly client: () => IProductionClient;
}

export interface CallbacksIo extends WaitIo {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Value and flag options of `iprod callbacks` besides the global ones. */
export const CALLBACKS_VALUE_OPTIONS: readonly string[] = ['queue', 'url', 'events'];
export const CALLBACKS_FLAG_OPTIONS: readonly string[] = ['json', 'force'];

function asJson(c: EventCallback | undefined): Record<string, unknown> | null {
  return c === undefined ? null : { ...c };
}

/** Runs `iprod callbacks ...`; usage errors are thrown as CliSettingError. */
export async function callbacksCommand(parse: (argv: readonly string[]) => CallbacksArgs, argv: readonly string[], io: CallbacksIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'show' && sub !== 'set') {
    throw new CliSettingError(`callbacks needs show or set, got ${sub === undefined ? 'nothing' : JSON.stringify(sub)}\n\n${CALLBACKS_USAGE}`);
  }
  const args = parse(rest);
  if (args.positional.length > 0) throw new CliSettingError(`callbacks ${sub} takes options only, got ${JSON.stringify(args.positional[0])}`);
  const json = args.flags.has('json');
  if (sub === 'show') {
    for (const o of ['queue', 'url', 'events']) if (args.values.has(o)) throw new CliSettingError(`--${o} only applies to callbacks set`);
    if (args.flags.has('force')) throw new CliSettingError('--force only applies to callbacks set');
    const current = await args.client().getEventCallback();
    io.stdout(json ? JSON.stringify({ region: args.region, callback: asJson(current) }) + '\n' : `${args.region}: ${describeCallback(current)}\n`);
    return EXIT_OK;
  }
  // Everything is checked before the first call.
  const wanted = settingFrom(args, io.env ?? process.env);
  const client = args.client();
  const current = await client.getEventCallback();
  const decision = decideSet(current, wanted, args.flags.has('force'));
  const wantedText = describeCallback({ ...wanted, eventTypes: wanted.eventTypes ?? [], ...(wanted.authKey ? { authKeySet: true } : {}) });
  if (decision.action === 'refuse') {
    io.stderr(
      `iprod: not changed: region ${args.region} already has an event callback (account-wide): ${describeCallback(decision.current)}.\n` +
        `  Setting ${wantedText} would replace it for every application of the account in ${args.region}; ` +
        `add --force to replace it.\n`,
    );
    if (json) io.stdout(JSON.stringify({ region: args.region, changed: false, refused: true, callback: asJson(decision.current) }) + '\n');
    return EXIT_FAILED;
  }
  if (decision.action === 'unchanged') {
    if (json) io.stdout(JSON.stringify({ region: args.region, changed: false, callback: asJson(current) }) + '\n');
    else io.stdout(`${args.region}: unchanged, already ${describeCallback(current)}\n`);
    return EXIT_OK;
  }
  await client.setEventCallback(wanted);
  const after = await client.getEventCallback();
  if (json) {
    io.stdout(JSON.stringify({ region: args.region, changed: true, ...(decision.replaces ? { replaced: asJson(decision.replaces) } : {}), callback: asJson(after) }) + '\n');
  } else {
    io.stdout(`${args.region}: set ${describeCallback(after)}${decision.replaces ? ` (replaced ${describeCallback(decision.replaces)})` : ''}\n`);
  }
  return EXIT_OK;
}

function settingFrom(args: CallbacksArgs, env: Readonly<Record<string, string | undefined>>): EventCallbackSetting & { eventTypes?: readonly string[] } {
  const queue = args.values.get('queue');
  const url = args.values.get('url');
  if ((queue === undefined) === (url === undefined)) throw new CliSettingError('callbacks set needs exactly one of --queue ice-callback-NAME or --url https://...');
  const rawEvents = args.values.get('events');
  try {
    const eventTypes = rawEvents === undefined ? undefined : parseEventTypes(rawEvents, '--events');
    const authKey = env[CALLBACK_AUTH_KEY_ENV] || undefined;
    const setting: EventCallbackSetting =
      queue !== undefined
        ? { callbackType: 'MNS', queueName: queue, ...(eventTypes ? { eventTypes } : {}) }
        : { callbackType: 'HTTP', url, ...(eventTypes ? { eventTypes } : {}), ...(authKey ? { authSwitch: 'on' as const, authKey } : {}) };
    // Validated now, naming the flag: the queue name prefix is checked before anything is sent.
    return checkEventCallbackSetting(setting);
  } catch (err) {
    if (err instanceof EventCallbackSettingError) {
      const flag = { CallbackQueueName: '--queue', CallbackURL: '--url', EventTypeList: '--events', AuthKey: CALLBACK_AUTH_KEY_ENV }[err.field] ?? err.field;
      throw new CliSettingError(`${flag}: ${err.message.slice(err.field.length + 2)}`);
    }
    throw err;
  }
}
