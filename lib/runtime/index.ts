export { handler } from './handler';
export * from './errors';
export * from './retry';
export * from './limiter';
export * from './wait';
