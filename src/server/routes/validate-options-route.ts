// POST /validate_options: checks that options could run here (plan, load zones, project limits) and
// answers the VUh the run would cost. The plan numbers come from RunControl (k6's arithmetic lives in
// the engine, which the server never imports); the cost rules come from the domain.
import type { FastifyInstance } from 'fastify';
import { StampedeError } from '../../core/index.ts';
import { checkProjectLimits, computeCost, deriveDistribution } from '../../domain/index.ts';
import { authenticate, found } from '../api-context.ts';
import type { ApiContext } from '../api-context.ts';
import { specBody } from '../request-input.ts';
import { readableProblems } from '../run-control.ts';
import { validationError } from '../validation-error.ts';

interface ValidateOptionsRequest {
  project_id?: number | null;
  options: Record<string, unknown> & { cloud?: { projectID?: number | null } | null };
}

export function registerValidateOptionsRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/validate_options', async (req) => {
    const caller = await authenticate(ctx, req, 'read');
    const body = specBody<ValidateOptionsRequest>(ctx, req, 'ValidateOptionsRequest');
    const projectId = body.project_id ?? body.options.cloud?.projectID ?? null;
    const project = projectId === null
      ? found(await ctx.store.projects.getDefault(caller.stackId), 'Default project')
      : await ctx.store.projects.get(caller.stackId, projectId);
    if (project === null) {
      // The target names the field the client sent: the docs' examples give the project only as options.cloud.projectID.
      const target = body.project_id === undefined || body.project_id === null ? 'options.cloud.projectID' : 'project_id';
      throw validationError(target, `Project ${projectId} does not exist in this stack`);
    }

    const allZones = await ctx.store.loadZones.list();
    const ids = (available: boolean) => allZones.filter((z) => z.available === available).map((z) => z.k6LoadZoneId);
    deriveDistribution(body.options, ids(true), undefined, ids(false));

    const plan = await ctx.runs.planOptions(body.options);
    if (!plan.ok) {
      throw new StampedeError('STAMPEDE_ERR_VALIDATION', plan.message, {
        target: 'options',
        details: readableProblems(plan.message, plan.problems).map((message) => ({ target: 'options', message })),
      });
    }
    const planned = { maxVus: plan.value.maxVus, maxBrowserVus: plan.value.maxBrowserVus, durationSeconds: plan.value.estimatedDurationS };
    const limits = found(await ctx.store.projects.getLimits(caller.stackId, project.id), 'Project limits');
    const used = await ctx.store.testRuns.vuhUsedInMonth(project.id, ctx.now());
    const violation = checkProjectLimits(limits, planned, used);
    if (violation) {
      throw new StampedeError('STAMPEDE_ERR_VALIDATION', violation.message, { target: violation.limit, details: [{ target: violation.limit, message: violation.message }] });
    }
    const cost = computeCost(planned);
    return { vuh_usage: cost.total_vuh, breakdown: cost.breakdown };
  });
}
