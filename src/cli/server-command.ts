// `stampede server` (= `npm start`): the control plane. The command is registered here; what it runs
// (server-main.ts) is loaded only when it runs, so other commands (`stampede run` above all) do not
// load the server, the store and their libraries at startup.
import type { Command } from 'commander';
import { withExamples } from './help-examples.ts';

export function registerServerCommand(program: Command): void {
  const server = program
    .command('server')
    .description('Run the Stampede control plane: the Grafana Cloud k6 v6 API and the admin API (configured by STAMPEDE_* env vars, see docs/api.md)')
    .action(async () => (await import('./server-main.ts')).runServer());
  withExamples(server, [
    ['Serve on port 8060 with the default store.', 'STAMPEDE_PORT=8060 stampede server'],
  ]);
}

