// `--secret-source` (k6 internal/cmd/root.go createSecretSources, internal/secretsource/{file,mock}):
// each value is TYPE or TYPE=CONFIG, CONFIG a comma list where `name=N` names the source (else it is
// named after its type) and `default` makes it the default one; a lone source is the default too.
// Sources are read here, once, before the script is compiled (k6 creates them with its loggers).
import * as path from 'node:path';
import { EngineError, EXIT_CODES } from './exit-codes.ts';
import { DEFAULT_SECRET_SOURCE, type SecretTable } from '../modules/secret-store.ts';

type SourceReader = (config: string, readFile: (p: string) => Promise<Uint8Array>) => Promise<Map<string, string>>;

const goQuote = (s: string): string => JSON.stringify(s);

function fail(message: string): never {
  // k6 attaches no exit code to these (255).
  throw new EngineError(EXIT_CODES.noExitCode, message);
}

/** internal/secretsource/file: `file=PATH` or `file=filename=PATH`; one key=value per line. */
const readFileSource: SourceReader = async (config, readFile) => {
  let filename = '';
  for (const kv of config.split(',')) {
    const eq = kv.indexOf('=');
    if (eq < 0) {
      filename = kv;
      continue;
    }
    const key = kv.slice(0, eq);
    if (key !== 'filename') fail(`unknown configuration key for file secret source ${goQuote(key)}`);
    filename = kv.slice(eq + 1);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(filename);
  } catch {
    fail(`open ${filename}: no such file or directory`);
  }
  const secrets = new Map<string, string>();
  const text = new TextDecoder().decode(bytes);
  // bufio.ScanLines: a final line break ends the last line, a trailing \r is dropped.
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const eq = line.indexOf('=');
    if (eq < 0) fail(`parsing ${goQuote(line)}, needs =`);
    secrets.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return secrets;
};

/** internal/secretsource/mock: `mock=key=value,key2=value2`. */
const readMockSource: SourceReader = (config) => {
  const secrets = new Map<string, string>();
  for (const kv of config.split(',')) {
    const eq = kv.indexOf('=');
    if (eq < 0) fail(`parsing ${goQuote(kv)}, needs =`);
    secrets.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return Promise.resolve(secrets);
};

const SOURCE_TYPES: Readonly<Record<string, SourceReader>> = { file: readFileSource, mock: readMockSource };

/** k6's extractNameAndDefault: pulls `name=` and `default` out of the configuration. */
function nameAndDefault(config: string): { name: string; isDefault: boolean; rest: string } {
  let name = '';
  let isDefault = false;
  const rest: string[] = [];
  for (const kv of config.split(',')) {
    if (kv === 'default') {
      isDefault = true;
      continue;
    }
    const eq = kv.indexOf('=');
    if ((eq < 0 ? kv : kv.slice(0, eq)) === 'name') {
      name = eq < 0 ? '' : kv.slice(eq + 1);
      continue;
    }
    rest.push(kv);
  }
  return { name, isDefault, rest: rest.join(',') };
}

/**
 * The secret sources of the `--secret-source` values, read relative to `cwd`. Errors are k6's: 104 for
 * the `cloud` type (managed by `k6 cloud run --local-execution` only), 255 for the others.
 */
export async function loadSecretSources(specs: readonly string[], cwd: string, readFile: (p: string) => Promise<Uint8Array>): Promise<SecretTable> {
  if (specs.some((s) => (s.includes('=') ? s.slice(0, s.indexOf('=')) : s).trim() === 'cloud')) {
    throw new EngineError(EXIT_CODES.invalidConfig, "'cloud' is not a valid value for --secret-source; cloud secrets are automatically available for 'k6 cloud run --local-execution'");
  }
  const result = new Map<string, Map<string, string>>();
  const fromCwd = (p: string): Promise<Uint8Array> => readFile(path.resolve(cwd, p));
  for (const line of specs) {
    const eq = line.indexOf('=');
    const type = eq < 0 ? line : line.slice(0, eq);
    const config = eq < 0 ? '' : line.slice(eq + 1);
    if (eq < 0 && line.trim() === '') fail(`couldn't parse secret source configuration ${goQuote(line)}`);
    if (type === 'url') fail(`the "url" secret source of k6 is not supported by Stampede (configuration ${goQuote(line)}); use file or mock`);
    const reader = SOURCE_TYPES[type];
    if (reader === undefined) fail(`no secret source for type ${goQuote(type)} for configuration ${goQuote(line)}`);
    const { name: given, isDefault, rest } = nameAndDefault(config);
    const name = given === '' ? type : given;
    const secrets = await reader(rest, fromCwd);
    // k6 names the type, not the name, in this message.
    if (result.has(name)) fail(`secret source for name ${goQuote(type)} already registered before configuration ${goQuote(line)}`);
    result.set(name, secrets);
    if (isDefault) {
      if (result.has(DEFAULT_SECRET_SOURCE)) fail(`can't have two secret sources that are default ones, second one was ${goQuote(rest)}`);
      result.set(DEFAULT_SECRET_SOURCE, secrets);
    }
  }
  if (result.size === 1) {
    for (const secrets of [...result.values()]) result.set(DEFAULT_SECRET_SOURCE, secrets);
  }
  return result;
}
