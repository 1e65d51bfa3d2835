// The engine a production runner hosts, checked against the runner's engine port at compile time.
import { loadTest } from '../engine/index.ts';
import type { EnginePort } from './engine-port.ts';

export const realEngine: EnginePort = { loadTest };
