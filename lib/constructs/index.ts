export * from './runtime-bundle';
export * from './grants';
export * from './naming';
export * from './bucket';
export * from './runtime';
export * from './ros-l1';
export * from './mns';
export * from './suppressions';
