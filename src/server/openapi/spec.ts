// The v6 contract as data: the OpenAPI document we serve at GET /cloud/v6/openapi and validate
// request bodies against. The copy beside this file is the source of truth for both.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const SPEC_PATH = new URL('./k6-cloud-v6.openapi.yaml', import.meta.url);

export interface OpenApiSpec {
  readonly text: string;
  readonly document: Record<string, unknown>;
}

let cached: OpenApiSpec | undefined;

export function loadSpec(): OpenApiSpec {
  if (!cached) {
    const text = readFileSync(SPEC_PATH, 'utf8');
    cached = { text, document: parse(text) as Record<string, unknown> };
  }
  return cached;
}
