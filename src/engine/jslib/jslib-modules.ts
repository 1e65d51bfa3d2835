// The built-in jslib modules as the VU runtime provides them: created once per VU on first
// `__rt.require(url)`, like the k6 modules (see vu/vu-modules.ts).
import { randomBytes } from 'node:crypto';
import vm from 'node:vm';
import type { Vu } from '../vu/vu.ts';
import type { VuServices } from '../vu/vu-services.ts';
import { builtinJslib, jslibVersion, jslibVersionAtLeast } from './jslib-urls.ts';
import { isBlocking } from '../vu/blocking.ts';
import { isUncatchable } from '../vu/interrupt.ts';
import { createConsole } from '../vu/vu-console.ts';
import { createAjvModule } from './ajv-module.ts';
import { createAwsModule } from './aws-module.ts';
import { createExpectModule, type ExpectK6 } from './expect-module.ts';
import { createFormUrlencodedModule } from './form-urlencoded-module.ts';
import { createFormdataModule } from './formdata-module.ts';
import { createHttpxModule, type HttpxHttp } from './httpx-module.ts';
import { createPyroscopeModule, createTempoModule, type InstrumentationDeps } from './http-instrumentation.ts';
import { createHtmlReportModule } from './html-report.ts';
import { createJsonpathModule } from './jsonpath-module.ts';
import { createK6SummaryModule } from './k6-summary.ts';
import { createK6chaijsModule, type ChaiK6 } from './k6chaijs-module.ts';
import { createK6TestingModule } from './k6-testing-module.ts';
import { createK6UtilsModule, type ExecutionView, type UtilsEnv } from './k6-utils.ts';
import { createPapaparseModule } from './papaparse-module.ts';
import { createTotpModule } from './totp-module.ts';
import { createUrlModule } from './url-module.ts';

/** The module a built-in jslib URL names, or undefined for any other name. */
export function createJslibModule(name: string, vu: Vu, svc: VuServices): unknown {
  switch (builtinJslib(name)) {
    case 'ajv':
      return createAjvModule({ toScript: (value) => svc.realm.parseJson(JSON.stringify(value)) });
    case 'aws':
      return createAwsModule(svc.realm.context, { http: vu.require('k6/http') as object, env: () => vu.env, parseJson: (t) => svc.realm.parseJson(t) });
    case 'expect':
    case 'functional': {
      const k6 = vu.require('k6') as { check: ExpectK6['check']; group: ExpectK6['group'] };
      const ajv = createAjvModule({ toScript: (value) => svc.realm.parseJson(JSON.stringify(value)) });
      return createExpectModule(svc.realm.context, name, {
        check: (value, sets, tags) => k6.check(value, sets, tags),
        group: (n, fn) => k6.group(n, fn),
        console: createConsole(svc.log) as ExpectK6['console'],
        Ajv: ajv['default'] as ExpectK6['Ajv'],
        isBlocking,
        block: (p) => vu.host.block(p),
        caught: (error) => {
          if (isUncatchable(error)) throw error;
        },
      });
    }
    case 'form-urlencoded':
      return createFormUrlencodedModule();
    case 'formdata':
      return createFormdataModule(svc.realm.context);
    case 'http-instrumentation-pyroscope':
      return createPyroscopeModule(svc.realm.context, instrumentationDeps(vu, svc));
    case 'http-instrumentation-tempo':
      return createTempoModule(svc.realm.context, instrumentationDeps(vu, svc));
    case 'httpx':
      return createHttpxModule(svc.realm.context, { http: vu.require('k6/http') as HttpxHttp, block: (p) => vu.host.block(p) });
    case 'jsonpath':
      return createJsonpathModule(svc.realm.context);
    case 'k6-reporter':
      return createHtmlReportModule(svc.now);
    case 'k6-summary':
      return createK6SummaryModule(name);
    case 'k6-testing': {
      const test = () => (vu.require('k6/execution') as { test: { abort(m: string): void; fail(m: string): void } }).test;
      return createK6TestingModule(svc.realm.context, { env: svc.env, abort: (m) => test().abort(m), fail: (m) => test().fail(m) });
    }
    case 'k6-utils': {
      const random = vm.runInContext('Math.random', svc.realm.context) as () => number;
      return createK6UtilsModule({
        random: () => random(),
        randomBytes: (n) => new Uint8Array(randomBytes(n)),
        execution: () => vu.require('k6/execution') as ExecutionView,
        toScript: (value) => svc.realm.parseJson(JSON.stringify(value)) as typeof value,
        now: svc.now,
        k6Check: (value, sets, tags) => (vu.require('k6') as { check: UtilsEnv['k6Check'] }).check(value, sets, tags),
        block: (p) => vu.host.block(p),
      });
    }
    case 'k6chaijs': {
      const k6 = vu.require('k6') as { check: ChaiK6['check']; group: ChaiK6['group'] };
      return createK6chaijsModule(svc.realm.context, {
        check: (value, sets) => k6.check(value, sets),
        group: (name, fn) => k6.group(name, fn),
        abort: (message) => (vu.require('k6/execution') as { test: { abort(m: string): void } }).test.abort(message),
        exitOnError: jslibVersionAtLeast(jslibVersion(name), '4.5.0.1'),
        console: createConsole(svc.log) as ChaiK6['console'],
        isBlocking,
        block: (p) => vu.host.block(p),
        caught: (error) => {
          if (isUncatchable(error)) throw error;
        },
      });
    }
    case 'papaparse':
      return createPapaparseModule(svc.realm.context);
    case 'totp':
      return createTotpModule(svc.realm.context, svc.now);
    case 'url': {
      const { URL, URLSearchParams } = createUrlModule(svc.realm.context);
      return { URL, URLSearchParams, default: { URL, URLSearchParams } };
    }
    default:
      return undefined;
  }
}

function instrumentationDeps(vu: Vu, svc: VuServices): InstrumentationDeps {
  return {
    http: vu.require('k6/http') as object,
    execution: vu.require('k6/execution') as object,
    env: () => vu.env,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    now: svc.now,
  };
}
