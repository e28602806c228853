/**
 * ICE's event callback (`GetEventCallback` / `SetEventCallback`, ICE 2020-11-09): where ICE sends job events.
 * One setting per region for the whole account; setting it replaces whatever was there (FACTS.md "ICE event
 * callbacks"). This module holds the wire shape, the checks made before any call, and the decision whether a set
 * may go ahead; `IProductionClient.getEventCallback`/`setEventCallback` make the calls.
 *
 * Sources: the GetEventCallback and SetEventCallback API reference pages (help.aliyun.com, ice 2020-11-09).
 */
import { API_FACTS, ICE_CALLBACK_QUEUE_PREFIX, MNS_LIMITS, MNS_NAME_PATTERN } from '../service';
import type { WireRequest } from '../jobs/wire';

/** An MNS callback queue must be named so (SetEventCallback, CallbackQueueName). */
export const CALLBACK_QUEUE_PREFIX = `${ICE_CALLBACK_QUEUE_PREFIX}-`;
/** The event of a finished intelligent production job (FACTS.md). */
export const DEFAULT_CALLBACK_EVENTS: readonly string[] = ['AIProduceComplete'];
/** SetEventCallback, CallbackURL: at most 256 bytes. */
const MAX_CALLBACK_URL_BYTES = 256;
/** SetEventCallback, AuthKey: at most 32 characters with upper case, lower case and digits. */
const MAX_AUTH_KEY = 32;
/** GUESS: event type names are identifiers (AIProduceComplete, ProduceMediaComplete, TranscodeComplete). */
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

export type CallbackType = 'MNS' | 'HTTP';

/** The region's event callback as GetEventCallback reports it. */
export interface EventCallback {
  readonly callbackType: CallbackType;
  /** MNS: the queue in the region (starts with `ice-callback-`). */
  readonly queueName?: string;
  /** HTTP: the address events are posted to. */
  readonly url?: string;
  /** Event types, in the order given. */
  readonly eventTypes: readonly string[];
  /** HTTP: whether callbacks carry an authentication signature (`on`/`off`). */
  readonly authSwitch?: 'on' | 'off';
  /** HTTP: whether an authentication key is set. The key itself is never printed. */
  readonly authKeySet?: boolean;
}

/** What to set: an MNS queue or an HTTP address, and the events. */
export interface EventCallbackSetting {
  readonly callbackType: CallbackType;
  readonly queueName?: string;
  readonly url?: string;
  /** @default DEFAULT_CALLBACK_EVENTS */
  readonly eventTypes?: readonly string[];
  readonly authSwitch?: 'on' | 'off';
  readonly authKey?: string;
}

/** A setting that is wrong before any call: names the field, the rule and the value. */
export class EventCallbackSettingError extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'EventCallbackSettingError';
  }
}

/** Splits `A,B , C` into event types; refuses empty or malformed entries. */
export function parseEventTypes(text: string, field = 'EventTypeList'): string[] {
  const types = text.split(',').map((t) => t.trim());
  for (const t of types) {
    if (!EVENT_TYPE.test(t)) {
      throw new EventCallbackSettingError(field, `each event type must be a name such as AIProduceComplete (comma-separated, no empty entries), got ${JSON.stringify(t)} in ${JSON.stringify(text)}`);
    }
  }
  return [...new Set(types)];
}

/** Checks a setting before anything is sent; returns it with its defaults filled in. */
export function checkEventCallbackSetting(setting: EventCallbackSetting): EventCallbackSetting & { eventTypes: readonly string[] } {
  const eventTypes = setting.eventTypes ?? DEFAULT_CALLBACK_EVENTS;
  if (eventTypes.length === 0) throw new EventCallbackSettingError('EventTypeList', 'at least one event type is needed, got none');
  parseEventTypes(eventTypes.join(','));
  if (setting.callbackType === 'MNS') {
    const q = setting.queueName;
    if (typeof q !== 'string' || !q.startsWith(CALLBACK_QUEUE_PREFIX)) {
      throw new EventCallbackSettingError('CallbackQueueName', `an MNS callback queue must start with ${JSON.stringify(CALLBACK_QUEUE_PREFIX)}, got ${JSON.stringify(q)}`);
    }
    if (!MNS_NAME_PATTERN.test(q) || q.length > MNS_LIMITS.specNameMaxChars || q.length === CALLBACK_QUEUE_PREFIX.length) {
      throw new EventCallbackSettingError('CallbackQueueName', `must be ${CALLBACK_QUEUE_PREFIX} followed by letters, digits or hyphens (${MNS_LIMITS.specNameMaxChars} characters at most), got ${JSON.stringify(q)}`);
    }
    if (setting.url !== undefined || setting.authKey !== undefined || setting.authSwitch !== undefined) {
      throw new EventCallbackSettingError('CallbackType', 'MNS callbacks take no CallbackURL, AuthSwitch or AuthKey (those are for HTTP)');
    }
  } else if (setting.callbackType === 'HTTP') {
    const url = setting.url;
    if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) {
      throw new EventCallbackSettingError('CallbackURL', `an HTTP callback needs an http:// or https:// address, got ${JSON.stringify(url)}`);
    }
    if (Buffer.byteLength(url) > MAX_CALLBACK_URL_BYTES) {
      throw new EventCallbackSettingError('CallbackURL', `must be at most ${MAX_CALLBACK_URL_BYTES} bytes, got ${Buffer.byteLength(url)}`);
    }
    if (setting.queueName !== undefined) throw new EventCallbackSettingError('CallbackType', 'HTTP callbacks take no CallbackQueueName');
    if (setting.authSwitch !== undefined && setting.authSwitch !== 'on' && setting.authSwitch !== 'off') {
      throw new EventCallbackSettingError('AuthSwitch', `must be on or off, got ${JSON.stringify(setting.authSwitch)}`);
    }
    const key = setting.authKey;
    if (key !== undefined && (key.length > MAX_AUTH_KEY || !/[a-z]/.test(key) || !/[A-Z]/.test(key) || !/[0-9]/.test(key) || !/^[A-Za-z0-9]+$/.test(key))) {
      // Never echo a secret: say what is wrong with it, not what it is.
      throw new EventCallbackSettingError('AuthKey', `must be at most ${MAX_AUTH_KEY} letters and digits with upper case, lower case and a digit, got ${key.length} characters that are not`);
    }
    if (setting.authSwitch === 'on' && key === undefined) throw new EventCallbackSettingError('AuthKey', 'AuthSwitch on needs an AuthKey');
  } else {
    throw new EventCallbackSettingError('CallbackType', `must be MNS or HTTP, got ${JSON.stringify(setting.callbackType)}`);
  }
  return { ...setting, eventTypes };
}

/** @internal */
export function buildGetEventCallback(): WireRequest {
  return { action: 'GetEventCallback', version: API_FACTS.ice.version, query: {} };
}

/** @internal SetEventCallback for a checked setting; absent parameters are omitted, never sent empty. */
export function buildSetEventCallback(setting: EventCallbackSetting): WireRequest {
  const s = checkEventCallbackSetting(setting);
  const query: Record<string, string> = { CallbackType: s.callbackType, EventTypeList: s.eventTypes.join(',') };
  if (s.queueName !== undefined) query.CallbackQueueName = s.queueName;
  if (s.url !== undefined) query.CallbackURL = s.url;
  if (s.authSwitch !== undefined) query.AuthSwitch = s.authSwitch;
  if (s.authKey !== undefined) query.AuthKey = s.authKey;
  return { action: 'SetEventCallback', version: API_FACTS.ice.version, query };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Reads a GetEventCallback answer `{RequestId, CallbackType, CallbackQueueName, CallbackURL, EventTypeList,
 * AuthSwitch, AuthKey}`. `undefined` when no callback is set. GUESS: an account that never set one gets an answer
 * without CallbackType (no source shows that answer).
 */
export function parseGetEventCallback(answer: Record<string, unknown>): EventCallback | undefined {
  const type = str(answer.CallbackType);
  if (type === undefined) return undefined;
  const upper = type.toUpperCase();
  const callbackType: CallbackType = upper === 'HTTP' ? 'HTTP' : 'MNS';
  const events = str(answer.EventTypeList);
  const authSwitch = str(answer.AuthSwitch);
  return {
    callbackType,
    ...(str(answer.CallbackQueueName) ? { queueName: str(answer.CallbackQueueName) } : {}),
    ...(str(answer.CallbackURL) ? { url: str(answer.CallbackURL) } : {}),
    eventTypes: events ? events.split(',').map((e) => e.trim()).filter((e) => e !== '') : [],
    ...(authSwitch === 'on' || authSwitch === 'off' ? { authSwitch } : {}),
    ...(callbackType === 'HTTP' ? { authKeySet: str(answer.AuthKey) !== undefined } : {}),
  };
}

/** What a set would do given what is set now. */
export type SetDecision =
  | { readonly action: 'set'; readonly replaces?: EventCallback }
  | { readonly action: 'unchanged' }
  | { readonly action: 'refuse'; readonly current: EventCallback };

/** Whether `current` already is `wanted` (same target, same event set; for HTTP the same auth switch). */
export function sameCallback(current: EventCallback, wanted: EventCallbackSetting): boolean {
  const w = checkEventCallbackSetting(wanted);
  const sameEvents = current.eventTypes.length === w.eventTypes.length && w.eventTypes.every((e) => current.eventTypes.includes(e));
  if (current.callbackType !== w.callbackType || !sameEvents) return false;
  if (w.callbackType === 'MNS') return current.queueName === w.queueName;
  // An HTTP key cannot be compared (it is never shown back to us here): a key given means "set it".
  return current.url === w.url && (current.authSwitch ?? 'off') === (w.authSwitch ?? 'off') && w.authKey === undefined;
}

/** The account-wide setting is only replaced on purpose: a different one needs `force`. */
export function decideSet(current: EventCallback | undefined, wanted: EventCallbackSetting, force: boolean): SetDecision {
  if (current === undefined) return { action: 'set' };
  if (sameCallback(current, wanted)) return { action: 'unchanged' };
  return force ? { action: 'set', replaces: current } : { action: 'refuse', current };
}

/** One line describing a setting, for people. */
export function describeCallback(c: EventCallback | undefined): string {
  if (c === undefined) return 'no event callback is set';
  const target = c.callbackType === 'MNS' ? `MNS queue ${c.queueName ?? '(none)'}` : `HTTP ${c.url ?? '(none)'}`;
  const auth = c.callbackType === 'HTTP' ? `, auth ${c.authSwitch ?? 'off'}${c.authKeySet ? ' (key set)' : ''}` : '';
  return `${target}, events ${c.eventTypes.length > 0 ? c.eventTypes.join(',') : '(none)'}${auth}`;
}
