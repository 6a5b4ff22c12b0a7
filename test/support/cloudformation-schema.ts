/**
 * Every resource of a synthesized template against the CloudFormation resource schemas, as CDK's
 * own database holds them (`@aws-cdk/aws-service-spec`): the type exists, required properties are
 * present, no property is unknown, enumerations hold, primitive kinds match — at every nesting level.
 * Written by hand around the database: cfn-lint on npm carries a 2019 spec without Lex or Connect.
 * Intrinsic functions (`Ref`, `Fn::*`) are values CloudFormation resolves at deploy time: not descended into.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, Resource, TypeDefinition } from '@aws-cdk/service-spec-types';

export interface SchemaFinding {
  logicalId: string;
  type: string;
  path: string;
  problem: string;
}

type Db = ReturnType<typeof loadAwsServiceSpecSync>;
let cached: Db | undefined;
const database = (): Db => (cached ??= loadAwsServiceSpecSync());

/** Resource types CloudFormation handles itself or that CDK adds for its own use. */
const SKIPPED = (type: string) => type === 'AWS::CDK::Metadata' || type.startsWith('Custom::');

const isIntrinsic = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  /^(Ref|Fn::|Condition$)/.test(Object.keys(value)[0]!);

export function validateTemplate(template: {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (SKIPPED(resource.Type)) continue;
    const spec = database().lookup('resource', 'cloudFormationType', 'equals', resource.Type);
    if (spec.length === 0) {
      findings.push({ logicalId, type: resource.Type, path: 'Type', problem: `unknown resource type ${resource.Type}` });
      continue;
    }
    const problems = checkProperties(spec.only() as Resource, resource.Properties ?? {}, 'Properties');
    for (const [path, problem] of problems) findings.push({ logicalId, type: resource.Type, path, problem });
  }
  return findings;
}

type Problems = Array<[path: string, problem: string]>;

function checkProperties(owner: Resource | TypeDefinition, value: Record<string, unknown>, path: string): Problems {
  const problems: Problems = [];
  const properties = owner.properties as Record<string, Property>;
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && value[name] === undefined) problems.push([`${path}.${name}`, 'required property is missing']);
  }
  for (const [name, v] of Object.entries(value)) {
    const property = properties[name];
    if (!property) {
      problems.push([`${path}.${name}`, `unknown property ${name}`]);
      continue;
    }
    const types = [property.type, ...(property.previousTypes ?? [])];
    const attempts = types.map((t) => checkValue(v, t, `${path}.${name}`));
    if (attempts.every((a) => a.length > 0)) problems.push(...attempts[0]!);
  }
  return problems;
}

function checkValue(value: unknown, type: PropertyType, path: string): Problems {
  if (value === undefined || value === null || isIntrinsic(value)) return [];
  switch (type.type) {
    case 'string': {
      if (typeof value === 'object') return [[path, 'expected a string']];
      const allowed = (type as { allowedValues?: string[] }).allowedValues;
      return allowed && !allowed.includes(String(value)) ? [[path, `"${value}" is not one of ${allowed.join(', ')}`]] : [];
    }
    case 'integer':
    case 'number': {
      if (!(typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))))
        return [[path, `expected a ${type.type}`]];
      const allowed = (type as { allowedValues?: number[] }).allowedValues;
      return allowed && !allowed.includes(Number(value)) ? [[path, `"${value}" is not one of ${allowed.join(', ')}`]] : [];
    }
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? [] : [[path, 'expected a boolean']];
    case 'json':
    case 'date-time':
    case 'null':
      return [];
    case 'tag':
      return typeof value === 'object' && 'Key' in (value as object) ? [] : [[path, 'expected a tag {Key, Value}']];
    case 'array':
      if (!Array.isArray(value)) return [[path, 'expected a list']];
      return value.flatMap((element, i) => checkValue(element, type.element, `${path}[${i}]`));
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) return [[path, 'expected a map']];
      return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => checkValue(v, type.element, `${path}.${k}`));
    case 'ref': {
      if (typeof value !== 'object' || Array.isArray(value)) return [[path, 'expected an object']];
      const definition = database().get('typeDefinition', type.reference.$ref) as TypeDefinition;
      return checkProperties(definition, value as Record<string, unknown>, path);
    }
    case 'union': {
      const attempts = type.types.map((t) => checkValue(value, t, path));
      return attempts.some((a) => a.length === 0) ? [] : attempts[0]!;
    }
    default:
      return [];
  }
}
