// Registered with `node --import` by startup-modules.test.ts: appends the URL of every local module
// the process loads to the file named by STAMPEDE_MODULE_TRACE.
import { register } from 'node:module';

register(new URL('data:text/javascript,' + encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(process.env.STAMPEDE_MODULE_TRACE ?? '/dev/null')}, url + '\\n');
  return next(url, context);
}`)));
