import { resolveString } from '../intrinsics';
import { PolicyRule } from './rule';

const ALGORITHMS = new Set(['AES256', 'KMS', 'SM4']);

export const OSS_004_ENCRYPTION: PolicyRule = {
  id: 'IPROD-OSS-004',
  severity: 'warning',
  title: 'Bucket without server-side encryption',
  description: 'The bucket sets no ServerSideEncryptionConfiguration (SSEAlgorithm AES256, KMS or SM4), so objects '
    + 'are stored unencrypted unless every writer asks for encryption.',
  fixHint: 'Set `ServerSideEncryptionConfiguration: {SSEAlgorithm: "AES256"}` (or KMS with a key id).',
  check(model) {
    return model.resources
      .filter(([, r]) => r.Type === 'ALIYUN::OSS::Bucket')
      .flatMap(([id, r]) => {
        const sse = r.Properties?.ServerSideEncryptionConfiguration as Record<string, unknown> | undefined;
        const alg = sse && typeof sse === 'object' ? resolveString(sse.SSEAlgorithm ?? '', model.ctx) : '';
        if (ALGORITHMS.has(alg)) return [];
        return [{
          logicalId: id,
          jsonPath: sse ? `Resources.${id}.Properties.ServerSideEncryptionConfiguration` : `Resources.${id}.Properties`,
          message: sse ? `bucket ${id} has SSEAlgorithm "${alg}", expected AES256, KMS or SM4` : `bucket ${id} has no server-side encryption`,
        }];
      });
  },
};
