import { resolveString } from '../intrinsics';
import { PolicyRule } from './rule';

export const OSS_005_ACCESS_LOGGING: PolicyRule = {
  id: 'IPROD-OSS-005',
  severity: 'warning',
  title: 'Bucket without access logging',
  description: 'The bucket sets no LoggingConfiguration with a TargetBucket, so there is no record of who read or '
    + 'wrote which object: a leak of customer media cannot be traced. (Taught by InfraGuard\'s '
    + 'oss-bucket-logging-enabled.)',
  fixHint: 'Set `LoggingConfiguration: {TargetBucket, TargetPrefix}` (MediaBucket does, into itself under '
    + '`access-log/` unless told otherwise).',
  check(model) {
    return model.resources
      .filter(([, r]) => r.Type === 'ALIYUN::OSS::Bucket')
      .flatMap(([id, r]) => {
        const cfg = r.Properties?.LoggingConfiguration as Record<string, unknown> | undefined;
        const target = cfg && typeof cfg === 'object' ? resolveString(cfg.TargetBucket ?? '', model.ctx) : '';
        if (target.length > 0) return [];
        return [{ logicalId: id, jsonPath: `Resources.${id}.Properties`, message: `bucket ${id} has no access logging (LoggingConfiguration.TargetBucket)` }];
      });
  },
};
