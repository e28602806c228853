/**
 * The error answers of the local endpoint. Codes and HTTP statuses follow FACTS.md and the common Alibaba Cloud
 * POP gateway errors; the ones no source confirmed are marked GUESS so a wrong guess is a one-line change here.
 */
export class ServiceError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Extra response headers (e.g. `x-acs-retry-after` on throttling). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const THROTTLING_MESSAGE = 'Request was denied due to user flow control.';

export const errors = {
  missingParameter: (name: string) =>
    new ServiceError(
      400,
      'MissingParameter',
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    ),
  invalidParameter: (name: string, why: string, value: string) =>
    new ServiceError(
      400,
      'InvalidParameter',
      `The specified parameter "${name}" is not valid: ${why}, got ${JSON.stringify(truncate(value))}.`,
    ),
  /** GUESS: the exact code the services use for an unknown job id; 404 like ProjectNotFound (seed 003). */
  jobNotFound: (jobId: string) =>
    new ServiceError(404, 'InvalidParameter.JobNotFound', `The specified job does not exist: JobId ${JSON.stringify(truncate(jobId))}.`),
  /** Seed 003/004. */
  idempotentParameterMismatch: () =>
    new ServiceError(
      400,
      'IdempotentParameterMismatch',
      'The request uses the same client token as a previous, but non-identical request. Do not reuse a client token with different requests, unless the requests are identical.',
    ),
  /** GUESS: the POP gateway answer for an action a version does not have. */
  invalidAction: (action: string, version: string) =>
    new ServiceError(
      404,
      'InvalidAction.NotFound',
      `Specified api is not found, please check your url and method: Action ${JSON.stringify(truncate(action))}, Version ${JSON.stringify(truncate(version))}.`,
    ),
  /** GUESS: the POP gateway answer for a version no product here serves. */
  invalidVersion: (version: string) =>
    new ServiceError(400, 'InvalidVersion', `Specified parameter Version is not valid: got ${JSON.stringify(truncate(version))}.`),
  throttling: (retryAfterMs: number) =>
    new ServiceError(400, 'Throttling.User', THROTTLING_MESSAGE, {
      'x-acs-retry-after': String(Math.max(0, Math.ceil(retryAfterMs))),
    }),
  serviceUnavailable: () =>
    new ServiceError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'),
  internalError: (why: string) =>
    new ServiceError(500, 'InternalError', `The request processing has failed due to some unknown error: ${why}.`),
  signatureDoesNotMatch: (stringToSign: string) =>
    new ServiceError(
      403,
      'SignatureDoesNotMatch',
      `Specified signature does not match our calculation. server string to sign is:${stringToSign}`,
    ),
  contentHashMismatch: () =>
    new ServiceError(
      403,
      'SignatureDoesNotMatch',
      'Specified signature does not match our calculation: x-acs-content-sha256 is not the SHA-256 of the request body.',
    ),
  /** 404, as a real gateway answers (seen in github.com/XWJR-Ops/zabbix-RDS-monitor/issues/9). */
  accessKeyNotFound: () => new ServiceError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  /** GUESS: code used when a signature is absent or malformed. */
  incompleteSignature: (why: string) =>
    new ServiceError(400, 'IncompleteSignature', `The request signature does not conform to Aliyun standards: ${why}.`),
  timestampFormat: (name: string, value: string) =>
    new ServiceError(
      400,
      'InvalidTimeStamp.Format',
      `Specified time stamp or date value is not well formatted: ${name} ${JSON.stringify(truncate(value))}.`,
    ),
  timestampExpired: (name: string, value: string) =>
    new ServiceError(
      400,
      'InvalidTimeStamp.Expired',
      `Specified time stamp or date value is expired: ${name} ${JSON.stringify(truncate(value))} is more than 15 minutes from server time.`,
    ),
  nonceUsed: () => new ServiceError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
  /** GUESS on the code for a wrong/missing STS token. */
  securityTokenMismatch: () =>
    new ServiceError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.'),
};

function truncate(value: string): string {
  return value.length > 200 ? `${value.slice(0, 200)}...` : value;
}
