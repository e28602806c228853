export * from './server';
export * from './clock';
export * from './errors';
export * from './jobs';
export * from './protocol';
export * from './rate-limit';
export * from './random';
export type { ActionName, Params } from './actions';
export {
  DEFAULT_QPS,
  ICE_VERSION,
  MTS_VERSION,
  ICE_FUNCTION_NAMES,
  MTS_FUNCTION_NAMES,
  SERVED,
} from './actions';
