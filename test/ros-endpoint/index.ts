export { startLocalRos, ROS_VERSION, DEFAULT_ACCOUNT_ID } from './server';
export type { LocalRos, LocalRosOptions, RosAction } from './server';
export type { ResourceOperation, StackRecord, StackEvent } from './stacks';
export { validateTemplate, TEMPLATE_MAX_BYTES, MAX_RESOURCES } from './validate';
