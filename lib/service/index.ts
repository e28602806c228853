// Facts about the cloud services, as data. Imports nothing; every other area reads from here.
export * from './apis';
export * from './limits';
export * from './env';
export * from './suppressions';
export * from './name-scopes';
export * from './ram-services';
export * from './data-plane';
