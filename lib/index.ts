// The package root only re-exports. Each area owns its own index.
export * from './jobs';
export * from './runtime';
export * from './constructs';
export * from './policy';
export * from './deploy';
