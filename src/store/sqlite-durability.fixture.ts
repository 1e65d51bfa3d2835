// Child process for sqlite-durability.test.ts: writes runs one at a time and reports each write only
// after the store acknowledged it, until the parent kills it with SIGKILL.
import { openStore } from './open-store.ts';

const dataDir = process.argv[2] as string;
const store = await openStore({ dataDir });
const first = await store.seedFirstStart();
const lt = await store.loadTests.create(first.stackId, { projectId: first.projectId, name: 'durable', script: null });
for (let i = 0; i < 100_000; i++) {
  const { run } = await store.testRuns.create({ stackId: first.stackId, loadTestId: lt.id, startedBy: null });
  await store.testRuns.transition(run.id, 'queued');
  process.stdout.write(`ack ${run.id}\n`);
}
