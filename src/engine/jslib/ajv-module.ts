// Built-in https://jslib.k6.io/ajv/<version>/index.js: the jslib bundles Ajv 6 (scripts import 6.12.5);
// Stampede backs it with the project's Ajv 8 (+ ajv-formats) set up to behave as Ajv 6 does where a
// script notices: draft-07, not strict (unknown keywords and formats are ignored, nothing is logged),
// error objects carrying Ajv 6's `dataPath` (`.items[0]['x-id']`, or a JSON pointer with the option
// `jsonPointers`) beside Ajv 8's `instancePath`, and Ajv 6's messages (v6.12.5's lib/dot/errors.def:
// "should be string", "should NOT be shorter than 3 characters"), so `errorsText()` reads "data.name should be string" as in k6.
// Schemas and data come from the script realm and are read as they are; the errors handed back are
// arrays and objects of the script realm (`instanceof Array`, `.map`, `JSON.stringify` work).
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import type addFormatsModule from 'ajv-formats';

// Loaded on the first `new Ajv()`, so VU threads of scripts without it do not pay for loading Ajv.
let loaded: { Ajv: typeof Ajv; addFormats: typeof addFormatsModule.default } | undefined;
function ajv8(): NonNullable<typeof loaded> {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    const formats = require('ajv-formats') as { default: typeof addFormatsModule.default };
    loaded = { Ajv: (require('ajv') as { Ajv: typeof Ajv }).Ajv, addFormats: formats.default };
  }
  return loaded;
}

/** What the module needs of the VU: a copy of plain data in the script realm. */
export interface AjvEnv {
  toScript(value: unknown): unknown;
}

/** An Ajv 6 error object: Ajv 8's fields plus `dataPath`. */
export interface Ajv6Error extends ErrorObject {
  dataPath: string;
}

const IDENTIFIER = /^[a-z$_][a-z$_0-9]*$/i;

/** Ajv 6's path step to property `key` (util.getProperty, or a JSON pointer step). */
function propertyPath(key: string, jsonPointers: boolean): string {
  if (jsonPointers) return `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (IDENTIFIER.test(key)) return `.${key}`;
  return `['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\f/g, '\\f').replace(/\t/g, '\\t')}']`;
}

/** Ajv 6's `dataPath` (JavaScript property notation) for Ajv 8's `instancePath`, walking `data` to tell array items from keys. */
export function dataPathOf(instancePath: string, data: unknown): string {
  if (instancePath === '') return '';
  let out = '';
  let at: unknown = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += Array.isArray(at) && /^\d+$/.test(key) ? `[${key}]` : propertyPath(key, false);
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

/** Ajv 6's message for an Ajv 8 error (lib/dot/errors.def of Ajv 6). */
export function ajv6Message(e: ErrorObject): string | undefined {
  const p = e.params as Record<string, unknown>;
  const limit = String(p['limit']);
  switch (e.keyword) {
    case 'type':
      return `should be ${Array.isArray(p['type']) ? p['type'].join(',') : String(p['type'])}`;
    case 'minLength':
      return `should NOT be shorter than ${limit} characters`;
    case 'maxLength':
      return `should NOT be longer than ${limit} characters`;
    case 'anyOf':
      return 'should match some schema in anyOf';
    case 'contains':
      return 'should contain a valid item';
    case 'propertyNames':
      return `property name '${String(p['propertyName'])}' is invalid`;
    default:
      return e.message === undefined ? undefined : e.message.replace(/^must\b/, 'should');
  }
}

/** Ajv 6's `errorsText`: "data.a should be string, data.b should …", "No errors" without errors (an empty array gives ""). */
export function errorsText(errors: readonly ({ dataPath?: string; message?: string } | null | undefined)[] | null | undefined, options: { separator?: string; dataVar?: string } = {}): string {
  if (!errors) return 'No errors';
  const separator = options.separator ?? ', ';
  const dataVar = options.dataVar ?? 'data';
  return errors.flatMap((e) => (e ? [`${dataVar}${String(e.dataPath)} ${String(e.message)}`] : [])).join(separator);
}

const isRegExp = (v: unknown): v is RegExp => Object.prototype.toString.call(v) === '[object RegExp]';
/** A RegExp of this realm for one of the script's (Ajv 8 tests `instanceof RegExp`). */
const localRegExp = (v: RegExp): RegExp => new RegExp(v.source, v.flags);

/** Ajv 6's options that Ajv 8 still takes with the same meaning; the others are ignored. */
const PASSED = ['allErrors', 'verbose', 'coerceTypes', 'useDefaults', 'removeAdditional', 'nullable', 'ownProperties', 'multipleOfPrecision', '$data', 'messages', 'passContext', 'loopRequired', 'inlineRefs', 'addUsedSchema'] as const;

function v8Options(opts: Record<string, unknown>): Options {
  const o: Record<string, unknown> = { strict: false, logger: false, validateSchema: opts['validateSchema'] !== false };
  for (const k of PASSED) if (opts[k] !== undefined) o[k] = opts[k];
  if (opts['format'] === false) o['validateFormats'] = false;
  if (opts['uniqueItems'] === false) o['uniqueItems'] = false;
  return o as Options;
}

type ScriptValidate = ((data: unknown, ...rest: unknown[]) => boolean) & { errors: unknown; schema: unknown };

/** The module's exports: `Ajv` (the default export). */
export function createAjvModule(env: AjvEnv): Record<string, unknown> {
  class Ajv6 {
    errors: unknown = null;
    readonly #ajv: Ajv;
    readonly #jsonPointers: boolean;
    readonly #propertyPaths: boolean;
    readonly #wrapped = new WeakMap<ValidateFunction, ScriptValidate>();
    readonly #bySource = new Map<string, ScriptValidate>();

    constructor(opts: Record<string, unknown> = {}) {
      const options = opts ?? {};
      this.#jsonPointers = options['jsonPointers'] === true;
      this.#propertyPaths = options['errorDataPath'] === 'property';
      const { Ajv: Ajv8, addFormats } = ajv8();
      this.#ajv = new Ajv8(v8Options(options));
      addFormats(this.#ajv, { mode: options['format'] === 'full' ? 'full' : 'fast', keywords: true });
      const formats = options['formats'];
      if (formats !== null && typeof formats === 'object') for (const [name, f] of Object.entries(formats)) this.addFormat(name, f);
      const schemas = options['schemas'];
      if (schemas !== null && typeof schemas === 'object') {
        if (Array.isArray(schemas)) this.addSchema(schemas);
        else for (const [key, s] of Object.entries(schemas)) this.addSchema(s, key);
      }
    }

    /** Ajv 8's errors as the script realm's Ajv 6 error objects. */
    #convert(errors: ErrorObject[] | null | undefined, data: unknown): unknown {
      if (errors === null || errors === undefined) return null;
      const out = errors.map((e) => {
        let dataPath = this.#jsonPointers ? e.instancePath : dataPathOf(e.instancePath, data);
        let message = ajv6Message(e);
        // errorDataPath 'property': the missing or extra property's own path, Ajv 6's wording for it.
        const property = e.keyword === 'required' ? e.params['missingProperty'] : e.keyword === 'additionalProperties' ? e.params['additionalProperty'] : undefined;
        if (this.#propertyPaths && typeof property === 'string') {
          dataPath += propertyPath(property, this.#jsonPointers);
          message = e.keyword === 'required' ? 'is a required property' : 'is an invalid additional property';
        }
        const params = { ...e.params } as Record<string, unknown>;
        if (e.keyword === 'type' && Array.isArray(params['type'])) params['type'] = params['type'].join(',');
        if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'].includes(e.keyword)) params['exclusive'] = e.keyword.startsWith('exclusive');
        return { keyword: e.keyword, dataPath, instancePath: e.instancePath, schemaPath: e.schemaPath, params, ...(message === undefined ? {} : { message }),
          ...('schema' in e ? { schema: e.schema, parentSchema: e.parentSchema, data: e.data } : {}) };
      });
      return env.toScript(out);
    }

    #wrap(v: ValidateFunction): ScriptValidate {
      const known = this.#wrapped.get(v);
      if (known !== undefined) return known;
      const convert = (errors: ErrorObject[] | null | undefined, data: unknown) => this.#convert(errors, data);
      const validate = function validate(this: unknown, data: unknown, ...rest: unknown[]): boolean {
        const ok = (v as (this: unknown, ...a: unknown[]) => boolean).call(this, data, ...rest);
        self.errors = ok ? null : convert(v.errors, data);
        return ok;
      } as ScriptValidate;
      const self = validate;
      validate.errors = null;
      validate.schema = v.schema;
      this.#wrapped.set(v, validate);
      return validate;
    }

    /** Runs an Ajv 8 call; its "schema is invalid" error gets Ajv 6's wording of the meta-schema errors. */
    #v6Errors<T>(schema: unknown, fn: () => T): T {
      try {
        return fn();
      } catch (e) {
        if (e instanceof Error && e.message.startsWith('schema is invalid: ') && this.#ajv.errors) {
          const errors = this.#convert(this.#ajv.errors, schema) as Ajv6Error[];
          throw new Error(`schema is invalid: ${errorsText(errors)}`, { cause: e });
        }
        throw e;
      }
    }

    compile(schema: unknown): ScriptValidate {
      // Ajv 6 caches compiled schemas by their serialisation, Ajv 8 by object: a schema literal compiled
      // again (each iteration) must neither grow the cache nor clash with its own $id.
      let key: string | undefined;
      try {
        key = schema !== null && typeof schema === 'object' ? JSON.stringify(schema) : undefined;
      } catch {
        key = undefined;
      }
      const known = key === undefined ? undefined : this.#bySource.get(key);
      if (known !== undefined) return known;
      const validate = this.#v6Errors(schema, () => this.#wrap(this.#ajv.compile(schema as object)));
      if (key !== undefined) this.#bySource.set(key, validate);
      return validate;
    }

    validate(schemaKeyRef: unknown, data: unknown): boolean {
      const v = typeof schemaKeyRef === 'string' ? this.getSchema(schemaKeyRef) : this.compile(schemaKeyRef);
      if (v === undefined) throw new Error(`no schema with key or ref "${String(schemaKeyRef)}"`);
      const ok = v(data);
      this.errors = v.errors;
      return ok;
    }

    addSchema(schema: unknown, key?: string): this {
      if (Array.isArray(schema)) for (const s of schema) this.#v6Errors(s, () => this.#ajv.addSchema(s as object));
      else this.#v6Errors(schema, () => this.#ajv.addSchema(schema as object, key));
      return this;
    }

    addMetaSchema(schema: unknown, key?: string): this {
      this.#ajv.addMetaSchema(schema as object, key);
      return this;
    }

    validateSchema(schema: unknown): boolean {
      const ok = this.#ajv.validateSchema(schema as object) as boolean;
      this.errors = this.#convert(this.#ajv.errors, schema);
      return ok;
    }

    getSchema(keyRef: string): ScriptValidate | undefined {
      const v = this.#ajv.getSchema(keyRef);
      return v === undefined ? undefined : this.#wrap(v);
    }

    removeSchema(schemaKeyRef?: unknown): this {
      this.#bySource.clear();
      this.#ajv.removeSchema(schemaKeyRef as string);
      return this;
    }

    addFormat(name: string, format: unknown): this {
      let f = format;
      if (isRegExp(f)) f = localRegExp(f);
      else if (f !== null && typeof f === 'object' && isRegExp((f as { validate?: unknown }).validate)) f = { ...f, validate: localRegExp((f as { validate: RegExp }).validate) };
      this.#ajv.addFormat(name, f as never);
      return this;
    }

    /** Ajv 6's `addKeyword(name, definition)`, or Ajv 8's `addKeyword(definition)`. */
    addKeyword(name: unknown, definition?: unknown): this {
      if (typeof name === 'string') this.#ajv.addKeyword({ ...(definition as object), keyword: name } as never);
      else this.#ajv.addKeyword(name as never);
      return this;
    }

    getKeyword(name: string): unknown {
      return this.#ajv.getKeyword(name);
    }

    removeKeyword(name: string): this {
      this.#ajv.removeKeyword(name);
      return this;
    }

    errorsText(errors?: readonly { dataPath?: string; message?: string }[] | null, options?: { separator?: string; dataVar?: string }): string {
      // Ajv 6: `errors || this.errors`.
      return errorsText(errors || (this.errors as typeof errors), options ?? {});
    }
  }
  Object.defineProperty(Ajv6, 'name', { value: 'Ajv' });
  return { default: Ajv6 };
}
