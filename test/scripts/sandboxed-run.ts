// Runs a script the way the server runs it: in a real sandboxed runner process (src/runner), started
// at once when it has planned. Resolves with every message the runner sent, once it has exited.
import { spawnRunner, type FromRunner } from '../../src/runner/index.ts';

export async function runInSandbox(source: string): Promise<FromRunner[]> {
  const runner = await spawnRunner({});
  const seen: FromRunner[] = [];
  runner.onMessage((m) => {
    seen.push(m);
    if (m.type === 'plan') runner.send({ type: 'proceed' });
  });
  runner.send({ type: 'start', contentType: 'text/javascript', script: Buffer.from(source).toString('base64') });
  await runner.exited;
  return seen;
}
