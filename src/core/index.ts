// Public entry of `core`: the few things every part shares (durations, ids, error codes).
export { parseDuration, formatDuration } from './duration.ts';
export { newId, newToken, hashToken } from './ids.ts';
export { StampedeError, ERRORS, type ErrorCode } from './errors.ts';
export { decodeV2Buckets } from './hdr-v2-buckets.ts';
export { parseGoBool, parseNullBool } from './go-bool.ts';
export { compressSnappyBlock, decodeSnappyBlock, SnappyError } from './snappy-block.ts';
export { KeyedSerializer } from './keyed-serializer.ts';
