// The banner and the execution description k6 prints before a test (internal/cmd/ui.go
// printExecutionDescription): `stampede run` shows "execution: local (…)" and its outputs,
// `stampede cloud run`/`upload` "execution: cloud" and the run's (or load test's) URL.
import { formatDuration } from '../core/index.ts';
import { goFixed, type ExecutionPlan } from '../engine/index.ts';

export const BANNER = String.raw`
         /\      Stampede  /‾‾/
    /\  /  \     |\  __   /  /
   /  \/    \    | |/ /  /   ‾‾\
  /          \   |   (  |  (‾)  |
 / __________ \  |_|\_\  \_____/
`;

export interface ExecutionDescription {
  execution: string;
  script: string;
  output: string;
  /** The web dashboard's description (" http://127.0.0.1:5665", "" without a server), when it runs. */
  webDashboard?: string;
  plan: ExecutionPlan;
}

export function executionDescription(d: ExecutionDescription): string {
  const { plan } = d;
  const lines = [
    `     execution: ${d.execution}`,
    `        script: ${d.script}`,
    // k6 prints the dashboard's description after this label, its URL with a leading space.
    ...(d.webDashboard === undefined ? [] : [` web dashboard:${d.webDashboard}`]),
    `        output: ${d.output}`,
    '',
    `     scenarios: (${goFixed((plan.segmentLength ?? 1) * 100, 2)}%) ${plan.scenarios.length} scenario${plan.scenarios.length === 1 ? '' : 's'}, ${plan.maxVUs} max VUs, ${formatDuration(Math.round(plan.totalDurationMs / 100) * 100)} max duration (incl. graceful stop):`,
    ...plan.scenarios.map((s) => `              * ${s.name}: ${s.description}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
