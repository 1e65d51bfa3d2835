// Following a run's logs against a real server on 127.0.0.1, reached through a small TCP relay that can
// cut the live tail's connection or refuse WebSocket upgrades, as a flaky proxy would.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { startCliTestServer, type CliTestServer } from '../cli-server.test-helper.ts';
import { ApiClient } from './api-client.ts';
import { RunLogFollower, type RunLogItem } from './run-log-follower.ts';

interface Relay {
  url: string;
  /** WebSocket upgrades seen so far. */
  upgrades: number;
  refuseUpgrades: boolean;
  /** Cuts every open WebSocket connection (both sides). */
  dropWebSockets(): void;
  close(): Promise<void>;
}

async function startRelay(target: string): Promise<Relay> {
  const { port } = new URL(target);
  const sockets = new Set<Socket>();
  const ws = new Set<Socket>();
  const relay: Relay = {
    url: '',
    upgrades: 0,
    refuseUpgrades: false,
    dropWebSockets: () => {
      for (const s of ws) s.destroy();
      ws.clear();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.once('data', (first: Buffer) => {
      const upgrade = /^upgrade:\s*websocket/im.test(first.toString('latin1'));
      if (upgrade && relay.refuseUpgrades) {
        client.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      const upstream = connect(Number(port), '127.0.0.1');
      sockets.add(upstream);
      if (upgrade) {
        relay.upgrades++;
        ws.add(client).add(upstream);
      }
      upstream.write(first);
      client.pipe(upstream).on('error', () => client.destroy());
      upstream.pipe(client).on('error', () => upstream.destroy());
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return relay;
}

let server: CliTestServer;
let relay: Relay;
const followers: RunLogFollower[] = [];
let tests = 0;

beforeAll(async () => {
  server = await startCliTestServer();
  relay = await startRelay(server.url);
});
afterEach(async () => {
  for (const f of followers.splice(0)) await f.stop(false);
  relay.refuseUpgrades = false;
});
afterAll(async () => {
  await relay.close();
  await server.close();
});

async function runningRun(): Promise<number> {
  const { store, stackId, projectId } = server;
  const test = await store.loadTests.create(stackId, { projectId, name: `tail ${++tests}`, script: { bytes: new TextEncoder().encode('export default () => {}'), contentType: 'text/javascript' } });
  const id = (await store.testRuns.create({ stackId, loadTestId: test.id, startedBy: null })).run.id;
  for (const to of ['queued', 'initializing', 'running'] as const) await store.testRuns.transition(id, to);
  return id;
}

function follow(runId: number): { follower: RunLogFollower; seen: RunLogItem[]; warnings: string[] } {
  const seen: RunLogItem[] = [];
  const warnings: string[] = [];
  const client = new ApiClient({ url: relay.url, token: server.token, stackId: String(server.stackId) });
  const follower = new RunLogFollower(client, runId, (line) => seen.push(line), (msg) => warnings.push(msg), { reconnectDelaysMs: [50, 100, 200] });
  followers.push(follower);
  return { follower, seen, warnings };
}

const log = (runId: number, ...entries: [message: string, time?: number][]) =>
  server.store.runLogs.append(runId, entries.map(([message, time]) => ({ time: time ?? Date.now() * 1000, level: 'info', message, labels: { test_run_id: String(runId), source: 'console' } })));

describe('following a run’s logs', () => {
  it('gives lines over the live tail as they are logged, each batch in time order', async () => {
    const runId = await runningRun();
    await log(runId, ['before start']);
    const { follower, seen } = follow(runId);
    await follower.start();
    expect(follower.live).toBe(true);
    await expect.poll(() => seen.map((l) => l.message)).toEqual(['before start']);
    const t = Date.now() * 1000;
    await log(runId, ['second by time', t + 2], ['first by time', t + 1]);
    await expect.poll(() => seen.map((l) => l.message)).toEqual(['before start', 'first by time', 'second by time']);
    expect(seen[1]).toEqual({ id: expect.any(Number), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/), level: 'info', message: 'first by time', labels: { test_run_id: String(runId), source: 'console' } });
    await follower.stop();
    expect(seen.map((l) => l.message)).toEqual(['before start', 'first by time', 'second by time']);
  });

  it('reopens a dropped tail after the last line it gave: nothing lost, nothing repeated', async () => {
    const runId = await runningRun();
    const { follower, seen } = follow(runId);
    await follower.start();
    const upgrades = relay.upgrades;
    await log(runId, ['one'], ['two']);
    await expect.poll(() => seen.map((l) => l.message)).toEqual(['one', 'two']);
    relay.dropWebSockets();
    await log(runId, ['three, logged while the tail was down'], ['four']);
    await expect.poll(() => relay.upgrades).toBe(upgrades + 1);
    await expect.poll(() => seen.map((l) => l.message)).toEqual(['one', 'two', 'three, logged while the tail was down', 'four']);
    expect(follower.live).toBe(true);
    relay.dropWebSockets();
    await expect.poll(() => relay.upgrades).toBe(upgrades + 2);
    await log(runId, ['five']);
    await expect.poll(() => seen.map((l) => l.message)).toContain('five');
    await follower.stop();
    expect(seen.map((l) => l.message)).toEqual(['one', 'two', 'three, logged while the tail was down', 'four', 'five']);
    expect(new Set(seen.map((l) => l.id)).size).toBe(5);
  });

  it('polls with the same cursor when the WebSocket cannot be opened', async () => {
    relay.refuseUpgrades = true;
    const runId = await runningRun();
    await log(runId, ['early']);
    const { follower, seen, warnings } = follow(runId);
    await follower.start();
    expect(follower.live).toBe(false);
    await follower.poll();
    await log(runId, ['later']);
    await follower.poll();
    await follower.poll();
    await log(runId, ['last']);
    await follower.stop();
    expect(seen.map((l) => l.message)).toEqual(['early', 'later', 'last']);
    expect(warnings).toEqual([]);
  });

  it('falls back to polling when a dropped tail cannot be reopened, still without losing a line', async () => {
    const runId = await runningRun();
    const { follower, seen } = follow(runId);
    await follower.start();
    await log(runId, ['a']);
    await expect.poll(() => seen.map((l) => l.message)).toEqual(['a']);
    relay.refuseUpgrades = true;
    relay.dropWebSockets();
    await log(runId, ['b']);
    await expect.poll(() => follower.live, { timeout: 5_000 }).toBe(false);
    await follower.poll();
    expect(seen.map((l) => l.message)).toEqual(['a', 'b']);
    await log(runId, ['c']);
    await follower.stop();
    expect(seen.map((l) => l.message)).toEqual(['a', 'b', 'c']);
  });
});
