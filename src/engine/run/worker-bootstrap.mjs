// Worker threads do not inherit the main thread's tsx loader: register it, then load the TS entry.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

// Stampede's own tsconfig, as bin/stampede.js registers it: never the one of the working directory.
register({ tsconfig: fileURLToPath(new URL('../../../tsconfig.json', import.meta.url)) });
await import('./worker-main.ts');
