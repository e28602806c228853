export * from './runtime-bundle';
export * from './grants';
