/**
 * ROS error answers. `InvalidParameter`, `MissingParameter`, `InvalidIdempotenceParameter` follow ROS's documented
 * common error codes; `StackNotFound`, `NotSupported` ("Update the completely same stack") and `ActionInProgress`
 * (409) are what the ROS CDK CLI and public deploy tools match on. The rest are GUESS (ROS is Heat-based, so Heat's
 * names and wording): a wrong guess is a one-line change here.
 */
import { ServiceError } from '../endpoint/errors';

export { ServiceError, errors as commonErrors } from '../endpoint/errors';

export const rosErrors = {
  stackNotFound: (idOrName: string) => new ServiceError(404, 'StackNotFound', `The Stack (${idOrName}) could not be found.`),
  /** GUESS: code and status. */
  stackExists: (name: string) => new ServiceError(409, 'StackExists', `The Stack (${name}) already exists.`),
  /** GUESS: code; the message names every problem, each with its resource or parameter. */
  validationFailed: (problems: readonly string[]) =>
    new ServiceError(400, 'StackValidationFailed', problems.join('; ')),
  sameStack: () => new ServiceError(400, 'NotSupported', 'Update the completely same stack'),
  actionInProgress: (name: string, status: string) =>
    new ServiceError(409, 'ActionInProgress', `Stack ${name} is in ${status} state, the operation is not allowed now.`),
  /** GUESS: code; Heat answers InvalidChangeSetStatus-like errors for a change set that cannot run. */
  changeSetNotExecutable: (id: string, why: string) =>
    new ServiceError(400, 'InvalidChangeSetStatus', `The ChangeSet (${id}) cannot be executed: ${why}.`),
  changeSetNotFound: (id: string) => new ServiceError(404, 'ChangeSetNotFound', `The ChangeSet (${id}) could not be found.`),
  idempotenceMismatch: () => new ServiceError(400, 'InvalidIdempotenceParameter', 'The specified parameters are different from before.'),
  invalidParameter: (name: string, reason: string) =>
    new ServiceError(400, 'InvalidParameter', `The specified parameter ${name} is invalid, ${reason}.`),
  missingParameter: (name: string) => new ServiceError(400, 'MissingParameter', `The input parameter ${name} should be specified.`),
};
