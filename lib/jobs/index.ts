export * from './catalogue';
export * from './types';
export * from './issues';
export { parseOssUrl, bucketNameProblem, isRegionId, type OssLocation, type OssForm, type OssParse } from './oss';
export * from './validate-iproduction';
export * from './validate-media-producing';
export * from './wire';
export * from './results';
export * from './docs';
