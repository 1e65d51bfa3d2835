/* eslint-disable @typescript-eslint/ban-ts-comment, @typescript-eslint/consistent-type-imports -- the script is written as users write it, see below */
// @ts-nocheck -- written as a k6 project compiles it (no verbatimModuleSyntax; @types/k6 is not installed here)
// TypeScript in the style of project templates: types imported from k6's type packages without the
// `type` keyword (`k6/options` is no module at run time, only @types/k6 declares it). k6's
// TypeScript transform drops an import used only as a type, so the script runs.
import { check } from 'k6';
import { Options } from 'k6/options';
import http, { RefinedResponse, ResponseType } from 'k6/http';

export const options: Options = {
  iterations: 2,
  thresholds: { checks: ['rate==1'] },
};

interface Reading {
  sensor: string;
  celsius: number;
}

function ok(res: RefinedResponse<ResponseType | undefined>): boolean {
  return res.status === 200;
}

export default (): void => {
  const reading: Reading = { sensor: 'greenhouse-3', celsius: 21.5 };
  const res = http.post(`${__ENV.BASE}/echo`, JSON.stringify(reading), { headers: { 'Content-Type': 'application/json' } });
  check(res, { 'the reading is accepted': ok });
};
