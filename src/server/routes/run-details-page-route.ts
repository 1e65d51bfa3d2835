// The test run's "details page" link. Grafana Cloud k6 gives `https://<stack>.grafana.net/a/k6-app/runs/{id}`
// as a run's `test_run_details_page_url`, and clients take the run id from that shape: k6 prints it as
// the banner's `output:`, grafana/run-k6-action reads it from there and keeps only URLs ending in
// `/runs/{id}` (the ids it outputs and summarises in its PR comment). Stampede has no web app, so the
// page redirects to the run's API resource, which answers with the caller's credentials as usual.
import type { FastifyInstance } from 'fastify';
import { pathId } from '../request-input.ts';

export const RUN_DETAILS_PAGE_PATH = '/a/k6-app/runs';

/** A run's `test_run_details_page_url` on this server. */
export function runDetailsPageUrl(origin: string, runId: number): string {
  return `${origin}${RUN_DETAILS_PAGE_PATH}/${runId}`;
}

export function registerRunDetailsPageRoute(app: FastifyInstance): void {
  app.get(`${RUN_DETAILS_PAGE_PATH}/:id`, async (req, reply) => {
    return reply.redirect(`/cloud/v6/test_runs/${pathId(req)}`, 302);
  });
}
