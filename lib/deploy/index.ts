// Deploy, diff and destroy of a cloud assembly over the official ROS SDK. The CLI commands return exit codes;
// the rest is what they are built from, for tools that want the same previews.
export { deployCommand, diffCommand, destroyCommand, processDeployIo, DEPLOY_USAGE, POLL_INTERVAL_MS } from './cli';
export type { DeployIo } from './cli';
export { RosApi, errorCode as rosErrorCode, errorMessage as rosErrorMessage, isStackNotFound } from './ros-api';
export type { RosApiOptions, StackSummary, StackDetails, StackEventRecord, ChangeSetDetails } from './ros-api';
export { readStacks as readAssemblyStacks } from './assembly';
export type { AssemblyStack } from './assembly';
export { permissionsOf, diffPermissions, renderPermissionChanges } from './permissions';
export type { PrincipalPermissions, PrincipalChange } from './permissions';
export { changesBetween, changesFromChangeSet, renderResourceChanges, parameterChanges } from './changes';
export type { ResourceChangeLine, ChangeAction, ParameterChange } from './changes';
export { parseDeployArgs, DeployUsageError, APPROVALS } from './args';
export type { Approval, DeployArgs } from './args';
