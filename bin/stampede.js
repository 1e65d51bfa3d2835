#!/usr/bin/env node
// The `stampede` command: registers tsx's loader and hands over to the CLI (src/cli/main.ts).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
