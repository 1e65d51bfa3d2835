// k6's JSON config file (internal/cmd/config.go readDiskConfig): `-c FILE`, K6_CONFIG, or the default
// `<user config dir>/k6/config.json`. A missing file is an error unless it is the default one; a file
// that cannot be read or parsed is one too (exit 104, as k6's getConsolidatedConfig attaches
// InvalidConfig). Reading never throws: the problem is kept and raised where k6 raises it, at
// consolidation (after the script's init).
import * as path from 'node:path';
import type { ConfigFileSource } from '../options/consolidate.ts';
import type { EngineIo } from './engine-io.ts';
import { EngineError, EXIT_CODES } from './exit-codes.ts';

export interface ConfigFileRead {
  /** The parsed file, when there is one. */
  readonly source?: ConfigFileSource;
  /** Why it could not be used (thrown at consolidation). */
  readonly error?: EngineError;
  /** The file's `out` list (k6 Config.Out): outputs used when neither a flag nor K6_OUT gives any. */
  readonly out?: readonly string[];
}

const PREFIX = 'failed to load the configuration file from the local file system';

export async function readConfigFile(config: { readonly path: string; readonly optional?: boolean } | undefined, io: EngineIo): Promise<ConfigFileRead> {
  if (config === undefined || config.path === '') return {};
  const fail = (message: string): ConfigFileRead => ({ error: new EngineError(EXIT_CODES.invalidConfig, `${PREFIX}: ${message}`) });
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(path.resolve(io.cwd, config.path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return config.optional === true ? {} : fail(`stat ${config.path}: no such file or directory`);
    if (code === 'EISDIR') return fail(`couldn't load the configuration from ${JSON.stringify(config.path)}: read ${config.path}: is a directory`);
    return fail(`couldn't load the configuration from ${JSON.stringify(config.path)}: ${(e as Error).message}`);
  }
  let content: unknown;
  try {
    content = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (e) {
    return fail(`couldn't parse the configuration from ${JSON.stringify(config.path)}: ${(e as Error).message}`);
  }
  const raw = content !== null && typeof content === 'object' && !Array.isArray(content) ? (content as Record<string, unknown>).out : undefined;
  const out = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : undefined;
  return { source: { path: config.path, content }, ...(out !== undefined && out.length > 0 ? { out } : {}) };
}
