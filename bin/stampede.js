#!/usr/bin/env node
// The `stampede` command: registers tsx's loader and hands over to the CLI (src/cli/main.ts).
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

// Stampede's own tsconfig, never the one tsx would find from the working directory: a k6 project's
// tsconfig.json (its `paths`, `experimentalDecorators`, …) is for the project's scripts, not for
// Stampede's code, and an invalid one made the command crash before it started.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli/main.ts');
