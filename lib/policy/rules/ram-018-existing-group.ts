import { assumedSuffix } from '../intrinsics';
import { PolicyRule } from './rule';

export const RAM_018_EXISTING_GROUP: PolicyRule = {
  id: 'IPROD-RAM-018',
  severity: 'error',
  title: 'User joins a group this template does not define',
  description: 'A user is added to a group (ALIYUN::RAM::UserToGroupAddition, or the Groups property of '
    + 'ALIYUN::RAM::User) that the template does not create, so the permissions the user gains are not visible to '
    + 'the reviewer. Judged at its worst: the group may hold AdministratorAccess.',
  fixHint: 'Create the group (with its policies) in the stack so it is reviewed, or confirm what the group grants '
    + 'and suppress this finding with the reason.',
  check(model) {
    return model.memberships
      .filter((m) => !m.groupInTemplate)
      .map((m) => ({
        logicalId: m.logicalId,
        jsonPath: m.jsonPath,
        detail: m.detail,
        message: `user ${m.user.name} joins group ${m.group.name}, which this template does not define: the permissions `
          + `it gains are not visible here and are judged at their worst (an administrator group)${assumedSuffix(m.notes)}`,
      }));
  },
};
