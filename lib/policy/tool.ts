/** Identity of the reviewer in reports. The version follows package.json (kept in step by hand: reports must not read files). */
export const TOOL_NAME = 'iprod-policy-report';
export const TOOL_VERSION = '0.1.0';
