export * from './runtime-bundle';
