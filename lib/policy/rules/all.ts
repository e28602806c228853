import { FC_001_CONCURRENCY } from './fc-001-concurrency';
import { FC_002_ANONYMOUS_HTTP } from './fc-002-anonymous-http';
import { FC_003_FUNCTION_LOGGING } from './fc-003-function-logging';
import { FC_004_DEPRECATED_RUNTIME } from './fc-004-deprecated-runtime';
import { FC_005_ENV_CREDENTIALS } from './fc-005-env-credentials';
import { OSS_001_TLS_ONLY } from './oss-001-tls-only';
import { OSS_002_PUBLIC_ACL } from './oss-002-public-acl';
import { OSS_003_PUBLIC_POLICY } from './oss-003-public-policy';
import { OSS_004_ENCRYPTION } from './oss-004-encryption';
import { OSS_005_ACCESS_LOGGING } from './oss-005-access-logging';
import { OSS_006_OTHER_ACCOUNT } from './oss-006-other-account';
import { RAM_001_ADMIN_WILDCARD } from './ram-001-admin-wildcard';
import { RAM_002_SERVICE_WILDCARD } from './ram-002-service-wildcard';
import { RAM_003_RESOURCE_WILDCARD } from './ram-003-resource-wildcard';
import { RAM_004_ARN_ON_OPERATION_ONLY } from './ram-004-arn-on-operation-only';
import { RAM_005_UNKNOWN_ACTION } from './ram-005-unknown-action';
import { RAM_006_NOT_ACTION } from './ram-006-not-action';
import { RAM_007_MALFORMED_DOCUMENT } from './ram-007-malformed-document';
import { RAM_008_DOCUMENT_SIZE } from './ram-008-document-size';
import { RAM_009_PERMISSION_MANAGEMENT } from './ram-009-permission-management';
import { RAM_010_BROAD_SYSTEM_POLICY } from './ram-010-broad-system-policy';
import { RAM_011_USER_POLICY } from './ram-011-user-policy';
import { RAM_012_USER_CREATED } from './ram-012-user-created';
import { RAM_013_ACCESS_KEY } from './ram-013-access-key';
import { RAM_014_OPEN_TRUST } from './ram-014-open-trust';
import { RAM_015_EXTERNAL_TRUST } from './ram-015-cross-account-trust';
import { RAM_016_BROAD_READ_SYSTEM_POLICY } from './ram-016-broad-read-system-policy';
import { RAM_017_UNREVIEWED_ATTACHMENT } from './ram-017-unreviewed-attachment';
import { RAM_018_EXISTING_GROUP } from './ram-018-existing-group';
import { PolicyRule } from './rule';
import { TPL_001_TEMPLATE_SIZE } from './tpl-001-template-size';
import { TPL_002_RESOURCE_COUNT } from './tpl-002-resource-count';
import { TPL_003_NESTED_STACK_UNREVIEWED } from './tpl-003-nested-stack';
import { TPL_004_SECRET_PARAMETER } from './tpl-004-secret-parameter';
import { TPL_005_LITERAL_SECRET } from './tpl-005-literal-secret';

/** Every template rule, in id order. The suppression rules (IPROD-SUP-*) live with the suppression engine. */
export const POLICY_RULES: readonly PolicyRule[] = [
  FC_001_CONCURRENCY, FC_002_ANONYMOUS_HTTP, FC_003_FUNCTION_LOGGING, FC_004_DEPRECATED_RUNTIME, FC_005_ENV_CREDENTIALS,
  OSS_001_TLS_ONLY, OSS_002_PUBLIC_ACL, OSS_003_PUBLIC_POLICY, OSS_004_ENCRYPTION, OSS_005_ACCESS_LOGGING,
  OSS_006_OTHER_ACCOUNT,
  RAM_001_ADMIN_WILDCARD, RAM_002_SERVICE_WILDCARD, RAM_003_RESOURCE_WILDCARD, RAM_004_ARN_ON_OPERATION_ONLY,
  RAM_005_UNKNOWN_ACTION, RAM_006_NOT_ACTION, RAM_007_MALFORMED_DOCUMENT, RAM_008_DOCUMENT_SIZE,
  RAM_009_PERMISSION_MANAGEMENT, RAM_010_BROAD_SYSTEM_POLICY, RAM_011_USER_POLICY, RAM_012_USER_CREATED,
  RAM_013_ACCESS_KEY, RAM_014_OPEN_TRUST, RAM_015_EXTERNAL_TRUST, RAM_016_BROAD_READ_SYSTEM_POLICY,
  RAM_017_UNREVIEWED_ATTACHMENT, RAM_018_EXISTING_GROUP,
  TPL_001_TEMPLATE_SIZE, TPL_002_RESOURCE_COUNT, TPL_003_NESTED_STACK_UNREVIEWED, TPL_004_SECRET_PARAMETER,
  TPL_005_LITERAL_SECRET,
];
