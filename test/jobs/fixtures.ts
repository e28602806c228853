import { type FunctionName, ICE_FUNCTIONS, MTS_FUNCTIONS } from '../../lib/jobs';

export const REGION = 'cn-shanghai';
export const IN_VIDEO = 'oss://media-in/clips/talk.mp4';
export const IN_AUDIO = 'oss://media-in/audio/song.wav';
export const IN_IMAGE = 'oss://media-in/images/poster.png';
export const OUT = 'oss://media-out/iproduction/{source}-{timestamp}-{sequenceId}.out';
export const OUT_DEMIX = 'oss://media-out/demix/{source}-{resultType}.wav';

/** JobParams that exercise every field of each function that has fields. */
export const FULL_PARAMS: Partial<Record<FunctionName, Record<string, unknown>>> = {
  Cover: { Model: 'gif' },
  VideoDelogo: { LogoModel: 'tv,internet', Boxes: '[[0, 0, 0.3, 0.3], [0.7, 0, 0.3, 0.3]]' },
  VideoDetext: { LimitRegion: [[0, 0, 0.3, 0.3], [0.7, 0, 0.3, 0.3]], Time: [5, 20] },
  CaptionExtraction: { fps: 5, roi: [[0.5, 1], [0, 1]], lang: 'ch', track: 'main' },
  HybridCaptionExtraction: { fps: 5, roi: [0.1, 0.0, 0.3, 0.2], lang: 'zh', track: 'main' },
  VideoGreenScreenMatting: { bgimage: 'http://example-image.example-location.aliyuncs.com/example/example.jpg' },
  FaceBeauty: { beauty_params: 'whiten=20,smooth=50,face_thin=50' },
  AudioMixing: { inputs: [{ file: 'http://example-bucket.oss-cn-shanghai.aliyuncs.com/2.mp4' }] },
};

function inputOf(fn: FunctionName): string {
  if (['ImageH2V', 'ImageDelogo', 'ImageCartoonize'].includes(fn)) return IN_IMAGE;
  return ['MusicSegmentDetect', 'AudioBeatDetection', 'AudioQualityAssessment', 'SpeechDenoise', 'AudioMixing', 'MusicDemix'].includes(fn)
    ? IN_AUDIO
    : IN_VIDEO;
}

/** A valid ICE request for `fn` that draws no issue at all. */
export function iceRequest(fn: FunctionName, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Name: `job-${fn}`,
    FunctionName: fn,
    Input: { Type: 'OSS', Media: inputOf(fn) },
    Output: { Type: 'OSS', Media: fn === 'MusicDemix' ? OUT_DEMIX : OUT },
    ScheduleConfig: { PipelineId: '5246b8d12a62433ab77845074039c3dc', Priority: 6 },
    UserData: '{"test":1}',
    ...(FULL_PARAMS[fn] ? { JobParams: FULL_PARAMS[fn] } : {}),
    ...extra,
  };
}

/** A valid MPS request for `fn` that draws no issue at all. */
export function mtsRequest(fn: FunctionName, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    FunctionName: fn,
    Input: inputOf(fn).replace('oss://media-in/', 'oss://media-in.oss-cn-shanghai.aliyuncs.com/'),
    Output: 'oss://media-out.oss-cn-shanghai.aliyuncs.com/iproduction/{source}-{timestamp}-{sequenceId}.out',
    JobParams: JSON.stringify(FULL_PARAMS[fn] ?? {}),
    NotifyUrl: 'mns://1253406881700000.mns.cn-shanghai.aliyuncs.com/queues/example-pipeline',
    PipelineId: '39f8e0bc005e4f309379701645f40000',
    UserData: '{"key":"value"}',
    ...extra,
  };
}

/** A valid SubmitMediaProducingJob request (seed 003's OSS output example). */
export function mediaRequest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Timeline: {
      VideoTracks: [{ VideoTrackClips: [{ MediaId: '****4d7cf14dc7b83b0e801c****' }, { MediaURL: 'https://media-in.oss-cn-shanghai.aliyuncs.com/clips/a.mp4' }] }],
    },
    OutputMediaConfig: { MediaURL: 'https://my-test-bucket.oss-cn-shanghai.aliyuncs.com/test/out001.mp4', Bitrate: 2000, Width: 800, Height: 680 },
    ProjectMetadata: '{"Description":"剪辑视频描述","Title":"剪辑标题测试"}',
    UserData: '{"NotifyAddress":"https://xx.com/xx","RegisterMediaNotifyAddress":"https://xxx.com/xx"}',
    ClientToken: '****12e8864746a0a398****',
    Source: 'OpenAPI',
    EditingProduceConfig: '{ "AutoRegisterInputVodMedia": "true", "OutputWebmTransparentChannel": "true" }',
    MediaMetadata: '{ "Title":"test-title", "Tags":"test-tags1,tags2" }',
    ...extra,
  };
}

export const ICE = [...ICE_FUNCTIONS];
export const MTS = [...MTS_FUNCTIONS];
