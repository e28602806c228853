// `ros-cdk-iproduction/testing`: local endpoints that speak the services' real protocols over loopback, for app
// teams to test their own code against as this package's tests do. Not exported from the package root, so
// deployed code never loads an HTTP server.
export * from './ice/server';
export * from './ice/clock';
export * from './ice/errors';
export * from './ice/jobs';
export * from './ice/protocol';
export * from './ice/rate-limit';
export * from './ice/random';
export type { ActionName, Params, StoredEventCallback } from './ice/actions';
export { DEFAULT_QPS, ICE_VERSION, MTS_VERSION, ICE_FUNCTION_NAMES, MTS_FUNCTION_NAMES, SERVED } from './ice/actions';
