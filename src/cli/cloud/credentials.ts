// Where `stampede login` / `stampede cloud login` keep the API URL, token and stack, and how the
// environment overrides them (k6's K6_CLOUD_* variables, so CI jobs written for k6 work unchanged).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Credentials {
  url: string;
  token: string;
  stackId: string;
  /** The stack URL `cloud login --stack` was given, normalized as k6 does (k6's `stack-url`). */
  stackUrl?: string;
  /** The stack's default project, as `/cloud/v6/auth` answered at login (k6's `default-project-id`). */
  defaultProjectId?: number;
  /** K6_CLOUD_PROJECT_ID: the project a command uses when the script names none. */
  projectId?: number;
}

export const DEFAULT_URL = 'http://127.0.0.1:8060';

export function configPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'stampede', 'config.json');
}

export async function saveCredentials(env: NodeJS.ProcessEnv, creds: Partial<Credentials>): Promise<string> {
  const file = configPath(env);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  await chmod(file, 0o600); // writeFile keeps the mode of an existing file
  return file;
}

export async function readSaved(env: NodeJS.ProcessEnv): Promise<Partial<Credentials>> {
  try {
    const parsed = JSON.parse(await readFile(configPath(env), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<Credentials>) : {};
  } catch {
    return {};
  }
}

/** The server URL: STAMPEDE_URL, else k6's K6_CLOUD_HOST_V6 (where k6 sends its v6 calls), else the saved one. */
export function serverUrl(env: NodeJS.ProcessEnv, saved: Partial<Credentials>): string {
  return (env.STAMPEDE_URL || env.K6_CLOUD_HOST_V6 || saved.url || DEFAULT_URL).replace(/\/+$/, '');
}

/**
 * A missing token or stack, with k6's message (internal/cmd/cloud.go checkCloudLoginFor): the
 * command's prefix ("Running cloud tests requires auth settings"), what is missing, and how to log in.
 */
export class CloudAuthError extends Error {
  constructor(prefix: string, missing: 'access token not configured' | 'stack ID not configured') {
    super(`${prefix}: ${missing}.\nRun \`stampede cloud login\` to authenticate (or \`stampede login\`), or set K6_CLOUD_TOKEN and K6_CLOUD_STACK_ID`);
    this.name = 'CloudAuthError';
  }
}

function positiveInt(v: unknown): number | undefined {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Saved credentials with the script's `options.cloud.token`/`stackID` (for `cloud run`) and then
 * STAMPEDE_URL / K6_CLOUD_HOST_V6, K6_CLOUD_TOKEN, K6_CLOUD_STACK_ID and K6_CLOUD_PROJECT_ID on top.
 * `prefix` starts the message when the token or the stack is missing.
 */
export async function loadCredentials(
  env: NodeJS.ProcessEnv, prefix = 'Running cloud tests requires auth settings', script: { token?: unknown; stackID?: unknown } = {},
): Promise<Credentials> {
  const saved = await readSaved(env);
  // k6 GetConsolidatedConfig: the saved login < the script's options.cloud < the environment.
  const scriptToken = typeof script.token === 'string' && script.token !== '' ? script.token : undefined;
  const scriptStack = positiveInt(script.stackID)?.toString();
  const token = env.K6_CLOUD_TOKEN || scriptToken || saved.token;
  const stackId = env.K6_CLOUD_STACK_ID || scriptStack || saved.stackId;
  if (!token) throw new CloudAuthError(prefix, 'access token not configured');
  if (!stackId || stackId === '0') throw new CloudAuthError(prefix, 'stack ID not configured');
  const creds: Credentials = { url: serverUrl(env, saved), token, stackId: String(stackId) };
  const ownStack = String(stackId) === String(saved.stackId);
  if (saved.stackUrl !== undefined && ownStack) creds.stackUrl = saved.stackUrl;
  const defaultProjectId = ownStack ? positiveInt(saved.defaultProjectId) : undefined;
  if (defaultProjectId !== undefined) creds.defaultProjectId = defaultProjectId;
  const projectId = positiveInt(env.K6_CLOUD_PROJECT_ID);
  if (projectId !== undefined) creds.projectId = projectId;
  return creds;
}
