/**
 * Checks a task's arguments against its tool's input schema (JSON Schema 2020-12, ajv) before the
 * run, when references are still unknown. Each referenced value is replaced by a placeholder of its
 * JSON type when that is known (`{{a.text}}` and embedded references are strings, `{{a.isError}}` a
 * boolean, a `structuredContent` path typed by the tool's output schema…), else by `null`. Then only
 * the errors that cannot depend on the unknown value are kept:
 * - at a reference's own location, a `type` error when the type is known and the error does not
 *   come from inside `anyOf`/`oneOf`/`not`/`if` (a value of that type can never pass);
 * - at any other location, every error, except combinator, `const`, `enum`, `uniqueItems` and
 *   `contains` errors at an ancestor of a reference (and the errors of their branches), which the
 *   unknown value might change.
 * So a plan is refused only for errors that every possible value would have.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { PathSegment, Template } from '../../../shared/plan-references.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default import is the module object's type.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

/** JSON types a placeholder may have; `undefined` when the type is not known. */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

/** A template's location and the JSON type its value will have, when known. */
export interface UnknownValue {
  template: Template;
  type: JsonType | undefined;
}

export type SchemaCheck = { ok: true; errors: string[] } | { ok: false; reason: string };

/** Most schema errors reported for one task. */
export const MAX_ERRORS_PER_TASK = 10;

const PLACEHOLDERS: Record<JsonType, unknown> = { string: '', number: 0, integer: 0, boolean: false, array: [], object: {}, null: null };
const BRANCHING = new Set(['anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'contains']);
const ANCESTOR_DOUBTFUL = new Set([...BRANCHING, 'const', 'enum', 'uniqueItems', 'minContains', 'maxContains']);

/** Distinct schemas kept compiled; past it the cache starts over. */
const MAX_COMPILED = 500;

/**
 * Compiles each input schema once — keyed by the schema object, then by its JSON text, so a
 * catalog that hands out fresh copies does not recompile — and checks arguments against it.
 */
export class ArgumentChecker {
  private ajv = newAjv();
  private readonly byObject = new WeakMap<object, ValidateFunction | string>();
  private readonly byText = new Map<string, ValidateFunction | string>();

  /** The errors of `args` against `schema`, as readable lines; `ok: false` when the schema does not compile. */
  check(schema: object, args: Record<string, unknown>, unknowns: readonly UnknownValue[]): SchemaCheck {
    const validate = this.compile(schema);
    if (typeof validate === 'string') return { ok: false, reason: validate };
    const placed = withPlaceholders(args, unknowns);
    if (validate(placed)) return { ok: true, errors: [] };
    const errors = relevantErrors(validate.errors ?? [], unknowns).map(describe);
    if (errors.length > MAX_ERRORS_PER_TASK) {
      const more = errors.length - MAX_ERRORS_PER_TASK;
      errors.splice(MAX_ERRORS_PER_TASK, more, `… and ${more} more`);
    }
    return { ok: true, errors };
  }

  private compile(schema: object): ValidateFunction | string {
    const known = this.byObject.get(schema);
    if (known !== undefined) return known;
    const text = JSON.stringify(schema);
    let validate = this.byText.get(text);
    if (validate === undefined) {
      if (this.byText.size >= MAX_COMPILED) {
        // ajv keeps every schema it compiled: start over with a fresh instance.
        this.byText.clear();
        this.ajv = newAjv();
      }
      try {
        // Servers often declare draft-07 (the keywords tools use mean the same in 2020-12); an $id
        // two servers share would clash in one ajv.
        const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
        validate = this.ajv.compile(rest);
      } catch (error) {
        validate = error instanceof Error ? error.message : String(error);
      }
      this.byText.set(text, validate);
    }
    this.byObject.set(schema, validate);
    return validate;
  }
}

function newAjv(): Ajv2020 {
  return addFormats(new Ajv2020({ allErrors: true, strict: false, validateFormats: true }));
}

function withPlaceholders(args: Record<string, unknown>, unknowns: readonly UnknownValue[]): unknown {
  if (unknowns.length === 0) return args;
  const copy = structuredClone(args) as Record<PathSegment, unknown>;
  for (const { template, type } of unknowns) {
    let container = copy;
    template.at.slice(0, -1).forEach((segment) => (container = container[segment] as Record<PathSegment, unknown>));
    container[template.at[template.at.length - 1]!] = type ? structuredClone(PLACEHOLDERS[type]) : null;
  }
  return copy;
}

function pointer(path: readonly PathSegment[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

function relevantErrors(errors: readonly ErrorObject[], unknowns: readonly UnknownValue[]): ErrorObject[] {
  const sites = unknowns.map(({ template, type }) => ({ at: pointer(template.at), type }));
  const isAncestorOfSite = (path: string): boolean => sites.some((site) => isWithin(site.at, path) && site.at !== path);
  // Combinators whose outcome the unknown values might change; their branches' errors go too.
  const doubtful = errors
    .filter((error) => BRANCHING.has(error.keyword) && sites.some((site) => isWithin(site.at, error.instancePath)))
    .map((error) => ({ at: error.instancePath, schemaPath: error.schemaPath }));
  return errors.filter((error) => {
    const site = sites.find((candidate) => isWithin(error.instancePath, candidate.at));
    if (site) return error.keyword === 'type' && site.type !== undefined && !fromBranch(error.schemaPath);
    if (isAncestorOfSite(error.instancePath) && ANCESTOR_DOUBTFUL.has(error.keyword)) return false;
    return !doubtful.some((branch) => isWithin(error.instancePath, branch.at) && error.schemaPath.startsWith(branch.schemaPath));
  });
}

function fromBranch(schemaPath: string): boolean {
  return schemaPath.split('/').some((segment) => BRANCHING.has(segment));
}

function describe(error: ErrorObject): string {
  const where = error.instancePath ? `arguments${error.instancePath.replaceAll('/', '.')}` : 'arguments';
  const params = error.params as Record<string, unknown>;
  let detail = '';
  if (error.keyword === 'additionalProperties') detail = ` ("${String(params.additionalProperty)}")`;
  else if (error.keyword === 'enum' && Array.isArray(params.allowedValues))
    detail = `: ${params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
  return `${where} ${error.message ?? `fails "${error.keyword}"`}${detail}`;
}
