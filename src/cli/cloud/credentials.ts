// Where `stampede login` keeps the API URL, token and stack, and how the environment overrides them.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Credentials {
  url: string;
  token: string;
  stackId: string;
}

export function configPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'stampede', 'config.json');
}

export async function saveCredentials(env: NodeJS.ProcessEnv, creds: Credentials): Promise<string> {
  const file = configPath(env);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  await chmod(file, 0o600); // writeFile keeps the mode of an existing file
  return file;
}

async function readSaved(env: NodeJS.ProcessEnv): Promise<Partial<Credentials>> {
  try {
    const parsed = JSON.parse(await readFile(configPath(env), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<Credentials>) : {};
  } catch {
    return {};
  }
}

/** Saved credentials with STAMPEDE_URL / K6_CLOUD_TOKEN / K6_CLOUD_STACK_ID on top. */
export async function loadCredentials(env: NodeJS.ProcessEnv): Promise<Credentials> {
  const saved = await readSaved(env);
  const url = env.STAMPEDE_URL || saved.url || 'http://127.0.0.1:8060';
  const token = env.K6_CLOUD_TOKEN || saved.token;
  const stackId = env.K6_CLOUD_STACK_ID || saved.stackId;
  if (!token) throw new Error('not logged in: run `stampede login --url URL --token TOKEN --stack ID`, or set K6_CLOUD_TOKEN');
  if (!stackId) throw new Error('no stack chosen: run `stampede login … --stack ID`, or set K6_CLOUD_STACK_ID');
  return { url: url.replace(/\/+$/, ''), token, stackId: String(stackId) };
}
