/**
 * Validators no one here wrote, on what CDK synthesizes, for the default configuration and its
 * variants: every state machine through the AWS Toolkit's ASL language service (plus a deep check of
 * what it does not look into), every resource against the CloudFormation resource schemas. Each has a
 * negative control: a planted error is caught.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { testApp } from '../support/test-app';
import { buildApp } from '../../infra/app';
import { STATE_MACHINES, definitionSubstitutions } from '../../state-machines/state-machine-catalogue';
import { substitute } from '../../catalogue/placeholders';
import { FUNCTIONS } from '../../lambdas/function-catalogue';
import { deepDiagnostics, languageServiceDiagnostics } from '../support/asl-language-service';
import { validateTemplate } from '../support/cloudformation-schema';

jest.setTimeout(60_000);
const ROOT = resolve(__dirname, '../..');

const VARIANTS: Record<string, Record<string, string>> = {
  default: {},
  ldap: { directory: 'ldap' },
  cognito: { directory: 'cognito' },
  'sms and a claimed number': {
    smsEnabled: 'true',
    smsOriginationIdentity: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-0123456789abcdef0123456789abcdef',
    securityAlertSmsNumber: '+18005550122',
    claimPhoneNumber: 'true',
  },
};

function synthesize(context: Record<string, string>) {
  const app = testApp({ context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong', ...context } });
  const built = buildApp(app);
  const assembly = app.synth();
  return { built, templates: assembly.stacks.map((s) => ({ name: s.stackName, template: s.template })) };
}

/** A definition as the service sees it: the file with every `${Key}` replaced by a realistic value. */
function substituted(file: string): string {
  const substitutions = definitionSubstitutions({
    tableName: (envVar) =>
      `support-desk-${envVar
        .toLowerCase()
        .replace(/_table$/, '')
        .replace(/_/g, '-')}-prod`,
    functionArn: (name) => `arn:aws:lambda:us-east-1:111122223333:function:support-desk-${name}-prod`,
    eventBusName: 'support-desk-prod',
    functions: FUNCTIONS,
  });
  return substitute(readFileSync(resolve(ROOT, file), 'utf8'), substitutions);
}

describe('state machines through the ASL language service', () => {
  it.each(STATE_MACHINES.map((s) => [s.name, s.file]))('%s: 0 diagnostics, as written and as deployed', async (_name, file) => {
    expect(await languageServiceDiagnostics(readFileSync(resolve(ROOT, file), 'utf8'))).toEqual([]);
    const definition = substituted(file);
    expect(await languageServiceDiagnostics(definition)).toEqual([]);
    expect(deepDiagnostics(JSON.parse(definition))).toEqual([]);
  });

  it('catches planted errors (negative control), including where the language service does not look', async () => {
    const asl = JSON.parse(substituted(STATE_MACHINES[0]!.file));
    const [first] = Object.keys(asl.States);
    asl.States[first!].Next = 'NoSuchState';
    asl.States[first!].Colour = 'blue';
    const found = await languageServiceDiagnostics(JSON.stringify(asl, null, 2));
    expect(found.map((f) => f.message)).toEqual(
      expect.arrayContaining(['Field is not supported.', 'The value of "Next" property must be the name of an existing state.']),
    );
    const deep = { States: { A: { Parameters: { Entries: [{ 'Detail.$': 'notapath' }], 'Digest.$': "States.Hash($.x, 'SHA-999')" } } } };
    expect(deepDiagnostics(deep).map((f) => f.message)).toEqual([
      expect.stringContaining('"notapath" is neither a JSONPath'),
      expect.stringContaining('States.Hash algorithm SHA-999'),
    ]);
    // The language service alone misses both.
    expect(
      await languageServiceDiagnostics(JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', ...deep.States.A, End: true } } })),
    ).toEqual([]);
  });
});

describe('synthesized templates against the CloudFormation resource schemas', () => {
  it.each(Object.entries(VARIANTS))('%s configuration: every resource of every stack, 0 findings', (_name, context) => {
    const { templates } = synthesize(context);
    expect(templates.length).toBe(6);
    for (const { name, template } of templates) expect({ name, findings: validateTemplate(template) }).toEqual({ name, findings: [] });
  });

  it('catches planted errors (negative control): unknown type, unknown and missing properties, a bad enumeration', () => {
    const template = {
      Resources: {
        Mystery: { Type: 'AWS::Nope::Thing', Properties: {} },
        Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 30, Colour: 'blue' } },
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 42 } },
        Subscription: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'email' } },
      },
    };
    const findings = validateTemplate(template).map((f) => `${f.logicalId} ${f.path}: ${f.problem}`);
    expect(findings).toEqual(
      expect.arrayContaining([
        'Mystery Type: unknown resource type AWS::Nope::Thing',
        'Queue Properties.Colour: unknown property Colour',
        expect.stringMatching(/^Logs Properties\.RetentionInDays: "42" is not one of 1, 3, 5/),
        'Subscription Properties.TopicArn: required property is missing',
      ]),
    );
  });
});
