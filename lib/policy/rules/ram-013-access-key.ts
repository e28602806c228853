import { PolicyRule } from './rule';

export const RAM_013_ACCESS_KEY: PolicyRule = {
  id: 'IPROD-RAM-013',
  severity: 'error',
  title: 'AccessKey created',
  description: 'The stack creates a long-lived AccessKey (ALIYUN::RAM::AccessKey); its secret ends up in stack '
    + 'outputs or environment variables and never expires.',
  fixHint: 'Use a role: the function receives temporary credentials in `context.credentials`.',
  check(model) {
    return model.resources
      .filter(([, r]) => r.Type === 'ALIYUN::RAM::AccessKey')
      .map(([id]) => ({ logicalId: id, jsonPath: `Resources.${id}`, message: `ALIYUN::RAM::AccessKey ${id} creates a long-lived AccessKey` }));
  },
};
