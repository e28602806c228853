// Facts about the cloud services, as data. Imports nothing; every other area reads from here.
export * from './apis';
export * from './limits';
export * from './env';
export * from './suppressions';
export * from './name-scopes';
export * from './ram-services';
export * from './data-plane';
// ram-patterns.ts (how RAM matches action and resource patterns) is imported by path, not from here: the runtime
// bundle reads this index, and what it never calls stays out of it.
