/**
 * Validation of event details against the catalogue's JSON Schemas (ajv): the tests check every event a workflow or consumer emits.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { DETAIL_SCHEMAS, DETAIL_TYPES, SECURITY_DETAIL_TYPES, type DetailType } from '../../events/password-reset-events';

const ajv = new Ajv({ allErrors: true, strict: true });
// date-time without pulling ajv-formats: ISO 8601 as the workflows write it.
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
const validators = new Map<DetailType, ValidateFunction>(
  [...DETAIL_TYPES, ...SECURITY_DETAIL_TYPES].map((t) => [t, ajv.compile(DETAIL_SCHEMAS[t])]),
);

/** Problems with a detail of `type`, empty when it conforms. */
export function detailProblems(type: string, detail: unknown): string[] {
  const validate = validators.get(type as DetailType);
  if (!validate) return [`unknown detail type ${type}`];
  return validate(detail) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

/** A conforming event base, as a workflow writes it, for tests of one detail type's schema. */
export function sampleEventBase(workflow = 'password-reset-verify') {
  return {
    schemaVersion: '1',
    sessionId: 's-1',
    contactId: 'c-1',
    employeeId: '1234567',
    callerNumberMasked: '+*******0100',
    callerHash: '0123456789abcdef0123456789abcdef',
    locale: 'en-US',
    at: '2026-11-25T20:42:05.123Z',
    executionId: `arn:aws:states:us-east-1:123456789012:express:${workflow}:x:y`,
  };
}
