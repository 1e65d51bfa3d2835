// The Fastify application: the v6 API under /cloud/v6, k6's local-execution provisioning API under
// /provisioning/v1, the admin API under /admin/v1, one error handler for everything. Built apart from
// listen() so tests drive it with inject().
import { Readable } from 'node:stream';
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Action } from '../domain/index.ts';
import { StampedeError } from '../core/index.ts';
import type { Store } from '../store/index.ts';
import type { ServerConfig } from './config.ts';
import type { RunControl } from './run-control.ts';
import { mapError } from './error-response.ts';
import { decodedRequestBody, stopDecodingBody } from './request-encoding.ts';
import { drainUnreadBody } from './unread-body.ts';
import { clientErrorHandler } from './client-error.ts';
import { assertJsonBodyShape } from './json-body-shape.ts';
import { AllowedMethods } from './allowed-methods.ts';
import { NonJsonBody } from './request-input.ts';
import { fitToOperation, operationContract } from './operation-contract.ts';
import { createSpecValidator } from './openapi/schema-validator.ts';
import { loadSpec } from './openapi/spec.ts';
import { authenticate } from './api-context.ts';
import type { ApiContext, Caller } from './api-context.ts';
import { publicOrigin } from './paging.ts';
import { registerAuthRoute } from './routes/auth-route.ts';
import { registerProjectRoutes } from './routes/project-routes.ts';
import { registerLoadTestRoutes } from './routes/load-test-routes.ts';
import { registerScriptUploadRoutes } from './routes/script-upload-routes.ts';
import { registerTestRunRoutes } from './routes/test-run-routes.ts';
import { registerLoadZoneRoutes } from './routes/load-zone-routes.ts';
import { registerLabelRoutes } from './routes/label-routes.ts';
import { registerScheduleRoutes } from './routes/schedule-routes.ts';
import { registerAllowedLoadZoneRoutes } from './routes/allowed-load-zone-routes.ts';
import { registerValidateOptionsRoute } from './routes/validate-options-route.ts';
import { registerAdminRoutes } from './routes/admin-routes.ts';
import { registerRunSummaryRoute } from './routes/run-summary-route.ts';
import { registerMetricsV5Routes } from './routes/metrics-v5-routes.ts';
import { registerRunDetailsPageRoute } from './routes/run-details-page-route.ts';
import { registerResultSummaryRoutes } from './routes/result-summary-routes.ts';
import { RunMetricsCache } from '../results/index.ts';
import { attachLokiTail, registerLokiQueryRoute, registerRunLogRoute } from './routes/run-log-routes.ts';
import { registerLokiMetadataRoutes } from './routes/loki-metadata-routes.ts';
import { registerProvisioningRoutes, registerProvisioningUploadRoutes } from './routes/provisioning-routes.ts';
import { ABANDONED_CHECK_INTERVAL_MS, endAbandonedLocalRuns, LocalExecutionRuns } from './local-execution.ts';

export interface ServerDeps {
  store: Store;
  runs: RunControl;
  config: ServerConfig;
  /** A pino logger (production) or false (tests). */
  logger?: FastifyBaseLogger | false;
  /** The clock; injectable so idempotency windows and dates can be tested. */
  now?: () => Date;
  /**
   * Further routes composed in by the CLI (e.g. a results API from a part the server may not import).
   * Each gets a Fastify context of its own, with the same error handling, and the caller authentication.
   */
  extensions?: readonly ApiExtension[];
}

/** Tools an extension uses to behave like the built-in operations (auth, stack scoping, 404s). */
export interface ExtensionTools {
  authenticate(req: FastifyRequest, action: Action): Promise<Caller>;
  /** Absolute URL origin for links (STAMPEDE_PUBLIC_URL or the request's host). */
  origin(req: FastifyRequest): string;
}

export type ApiExtension = (app: FastifyInstance, tools: ExtensionTools) => Promise<void> | void;

export async function buildApp(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger || undefined,
    bodyLimit: deps.config.bodyLimitBytes,
    // Query strings keep repeated keys as arrays so a repeated single-valued parameter is a 400.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    trustProxy: false,
    // Two log lines per request would cost more than serving a run; errors are logged below instead.
    logController: new LogController({ disableRequestLogging: true }),
    // Requests the HTTP parser refuses get the ErrorResponse body too.
    clientErrorHandler,
    // Router-level rejections (undecodable URLs, over-long path parameters) get the same error body.
    frameworkErrors: (err, req, reply) => {
      // A v6 path segment that cannot be decoded or is too long for any id names nothing: 404, which
      // every v6 operation with an id documents (400 is not documented for most of them).
      const code = (err as { code?: unknown }).code;
      const noSuchPath = (code === 'FST_ERR_MAX_PARAM_LENGTH' || code === 'FST_ERR_BAD_URL') && (req.url.startsWith('/cloud/v6/') || req.url.startsWith('/provisioning/v1/'));
      const mapped = mapError(noSuchPath ? new StampedeError('STAMPEDE_ERR_NOT_FOUND', `Not found: ${err.message}`) : err);
      void (reply as unknown as FastifyReply).code(mapped.status).type('application/json').send(mapped.body);
    },
  }) as unknown as FastifyInstance;

  // Every route registered from here on (all of them, extensions included) is known by path, so a
  // wrong method on a known path answers 405 rather than 404.
  const allowed = new AllowedMethods();
  app.addHook('onRoute', (route) => allowed.add(route.method, route.url));

  const ctx: ApiContext = {
    store: deps.store,
    runs: deps.runs,
    config: deps.config,
    validator: createSpecValidator(),
    now: deps.now ?? (() => new Date()),
  };

  // Clients often send `Content-Type: application/json` on body-less POSTs (start, abort, star):
  // an empty JSON body means "no body", not a parse error, and an operation the spec gives no request
  // body ignores whatever JSON text comes along. Anything else goes through Fastify's own parser,
  // which rejects prototype poisoning, then through the shape check (no ±Infinity, bounded depth).
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if ((typeof body === 'string' && body.trim() === '') || operationContract(req.method, req.routeOptions.url)?.hasRequestBody === false) {
      done(null, undefined);
      return;
    }
    defaultJson(req, typeof body === 'string' ? body : body.toString('utf8'), (err, parsed) => {
      if (err) {
        done(err, undefined);
        return;
      }
      try {
        assertJsonBodyShape(parsed);
      } catch (shapeError) {
        done(shapeError as Error, undefined);
        return;
      }
      done(null, parsed);
    });
  });

  // An operation the spec gives no request body reads none: whatever comes along is drained unread,
  // so neither its size (a 413 these operations do not document) nor its type matters.
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (operationContract(req.method, req.routeOptions.url)?.hasRequestBody !== false) return payload;
    payload.resume();
    delete req.headers['content-length'];
    return Readable.from([]);
  });

  // A compressed body (Content-Encoding gzip, deflate, br) is decoded before it is parsed; another
  // coding is a 415. The body limit then applies to the decoded bytes.
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (operationContract(req.method, req.routeOptions.url)?.hasRequestBody === false) return payload;
    if ((req.routeOptions.config as { ownContentEncoding?: boolean } | undefined)?.ownContentEncoding === true) return payload;
    const decoded = decodedRequestBody(payload, req.headers['content-encoding'], String(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/'));
    // Content-Length stays: Fastify compares it with the stream's receivedEncodedLength.
    if (decoded !== payload) delete req.headers['content-encoding'];
    return decoded;
  });

  // Any other type (text/plain included, which Fastify would parse as a string) is kept aside unparsed:
  // operations without a body ignore it, JSON ones answer 415.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, _body, done) => {
    done(null, new NonJsonBody(String(req.headers['content-type'] ?? '')));
  });

  app.setErrorHandler(async (err, req, reply) => {
    const mapped = fitToOperation(mapError(err), operationContract(req.method, req.routeOptions.url), (req.params ?? {}) as Record<string, string | undefined>);
    if (mapped.internal) req.log.error({ err }, 'unhandled error');
    // A 401 must name the scheme that would work (RFC 9110 §11.6.1): the spec's bearer token.
    if (mapped.status === 401) void reply.header('www-authenticate', 'Bearer realm="stampede"');
    // Refused before its body was read (too large): take the rest first, or the connection closed
    // under a client still sending resets it, and clients that read only after sending lose the answer.
    stopDecodingBody(req.raw);
    await drainUnreadBody(req.raw);
    return reply.code(mapped.status).type('application/json').send(mapped.body);
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const allow = allowed.at(path);
    if (allow.length > 0) {
      const mapped = mapError(new StampedeError('STAMPEDE_ERR_METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}; use ${allow.join(', ')}`));
      void reply.code(mapped.status).header('allow', allow.join(', ')).send(mapped.body);
      return;
    }
    const mapped = mapError(new StampedeError('STAMPEDE_ERR_NOT_FOUND', `No route ${req.method} ${path}`));
    void reply.code(mapped.status).send(mapped.body);
  });

  // Public and credential-free, so any origin may read it: Grafana's docs open the spec in the Swagger
  // editor in the browser (editor-next.swagger.io?url=…/cloud/v6/openapi), a cross-origin fetch.
  app.get('/cloud/v6/openapi', async (_req, reply) => {
    void reply.header('access-control-allow-origin', '*');
    const accept = String(_req.headers.accept ?? '');
    if (accept.includes('application/json')) return reply.type('application/json').send(loadSpec().document);
    return reply.type('application/yaml').send(loadSpec().text);
  });

  await app.register(async (v6) => {
    registerAuthRoute(v6, ctx);
    registerProjectRoutes(v6, ctx);
    registerLoadTestRoutes(v6, ctx);
    registerTestRunRoutes(v6, ctx);
    registerLoadZoneRoutes(v6, ctx);
    registerLabelRoutes(v6, ctx);
    registerScheduleRoutes(v6, ctx);
    registerAllowedLoadZoneRoutes(v6, ctx);
    registerValidateOptionsRoute(v6, ctx);
    registerRunSummaryRoute(v6, ctx);
    registerRunLogRoute(v6, ctx);
    await v6.register(async (raw) => registerScriptUploadRoutes(raw, ctx));
  }, { prefix: '/cloud/v6' });
  const localRuns = new LocalExecutionRuns(ctx, app.log);
  // Local-execution runs whose k6 went away without a word are ended after a while.
  const abandonedCheck = setInterval(() => {
    endAbandonedLocalRuns(ctx.store, ctx.now()).then(
      (ended) => ended.length > 0 && app.log.warn({ runIds: ended }, 'ended local-execution runs whose k6 stopped reporting'),
      (err: unknown) => app.log.error({ err }, 'could not check for abandoned local-execution runs'),
    );
  }, ABANDONED_CHECK_INTERVAL_MS);
  abandonedCheck.unref();
  app.addHook('onClose', async () => clearInterval(abandonedCheck));
  await app.register(async (provisioning) => {
    registerProvisioningRoutes(provisioning, ctx, localRuns);
    await provisioning.register(async (raw) => registerProvisioningUploadRoutes(raw, ctx, localRuns));
  }, { prefix: '/provisioning/v1' });
  await app.register(async (admin) => registerAdminRoutes(admin, ctx), { prefix: '/admin/v1' });
  const metricsCache = new RunMetricsCache(ctx.store.runMetrics);
  await app.register(async (v5) => registerMetricsV5Routes(v5, ctx, metricsCache), { prefix: '/cloud/v5' });
  registerResultSummaryRoutes(app, ctx, metricsCache);
  registerRunDetailsPageRoute(app);
  await app.register(async (loki) => {
    registerLokiQueryRoute(loki, ctx);
    registerLokiMetadataRoutes(loki, ctx);
  }, { prefix: '/loki/api/v1' });
  attachLokiTail(app, ctx);
  const tools: ExtensionTools = {
    authenticate: (req, action) => authenticate(ctx, req, action),
    origin: (req) => publicOrigin(req, ctx.config.publicUrl),
  };
  for (const extension of deps.extensions ?? []) await app.register(async (scope) => extension(scope, tools));

  return app;
}
