// The engine a production runner hosts, checked against the runner's engine port at compile time.
import * as engine from '../engine/index.ts';
import type { EnginePort } from './engine-port.ts';

// Read by name so the runner keeps compiling whether or not the engine exports its k6 version yet.
const compat: unknown = (engine as Record<string, unknown>)['K6_COMPAT_VERSION'];

export const realEngine: EnginePort = {
  loadTest: engine.loadTest,
  capturesRejections: engine.engineCapturesRejections,
  ...(typeof compat === 'string' ? { k6Version: compat } : {}),
};
