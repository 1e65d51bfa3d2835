// bench/results/server-process.ts as a child process (see bench/child-server.ts).
import { startChildServer, type ChildServer } from '../child-server.ts';
import type { FromServer, ToServer } from './protocol.ts';

export type Ready = Extract<FromServer, { type: 'ready' }>;
export type ServerHandle = ChildServer<ToServer, FromServer>;

export function startServer(root: string, start: Extract<ToServer, { type: 'start' }>): Promise<ServerHandle> {
  return startChildServer<ToServer, FromServer>(root, 'bench/results/server-process.ts', start);
}
