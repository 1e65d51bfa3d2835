// Worker threads do not inherit the main thread's tsx loader: register it, then load the TS entry.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
