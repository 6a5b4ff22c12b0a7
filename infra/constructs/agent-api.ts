/**
 * The agent API (issue #20): a regional API Gateway REST API in front of the `agent-api` function
 * (lambdas/handlers/agent-api.ts), every method IAM-authorized (SigV4:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html), Lambda proxy integration,
 * request validation where API Gateway can do it (the path parameter; the code and the action bodies
 * against a JSON schema model), access logs in JSON to its own log group, stage throttling, X-Ray.
 *
 * `invokePolicy` (AgentApiInvoke) allows `execute-api:Invoke` on exactly these methods of this stage
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html):
 * attach it to the agents' federated role (README, "Agent Workspace app (AWS)").
 */
import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  JsonSchemaType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type Model,
  RequestValidator,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { retentionDays } from './project-function';

export const AGENT_API_STAGE = 'v1';

/** The API's methods: [HTTP method, resource path]. The policy and the tests use this list. */
export const AGENT_API_METHODS: ReadonlyArray<readonly ['GET' | 'POST', string]> = [
  ['GET', '/contacts/{contactId}'],
  ['POST', '/contacts/{contactId}/verification'],
  ['POST', '/contacts/{contactId}/verification/code'],
  ['POST', '/contacts/{contactId}/readout'],
];

export interface AgentApiProps {
  fn: IFunction;
  stage: string;
  logRetentionDays: number;
}

export class AgentApi extends Construct {
  readonly api: RestApi;
  readonly invokePolicy: ManagedPolicy;
  readonly stageName = AGENT_API_STAGE;

  constructor(scope: Construct, id: string, props: AgentApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/support-desk-agent-api-${props.stage}`,
      retention: retentionDays(props.logRetentionDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new RestApi(this, 'Api', {
      restApiName: `support-desk-agent-api-${props.stage}`,
      description: 'Support Desk agent API: verify the caller of a connected contact (IAM, for the Agent Workspace app)',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // No account-wide API Gateway CloudWatch role: access logs go to the log group through the stage.
      cloudWatchRole: false,
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      deployOptions: {
        stageName: AGENT_API_STAGE,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        // Who called (the caller's ARN), what and how it ended; never a body.
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
        // A desk of agents clicks a few times a call: far under these, which cap a runaway script.
        throttlingRateLimit: 20,
        throttlingBurstLimit: 40,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.OFF,
        dataTraceEnabled: false,
      },
    });
    const integration = new LambdaIntegration(props.fn, { proxy: true, allowTestInvoke: false });
    const pathOnly = new RequestValidator(this, 'PathValidator', {
      restApi: this.api,
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    const pathAndBody = new RequestValidator(this, 'BodyValidator', {
      restApi: this.api,
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const model = (name: string, property: string, schema: object): Model =>
      this.api.addModel(name, {
        contentType: 'application/json',
        modelName: name,
        schema: { type: JsonSchemaType.OBJECT, required: [property], properties: { [property]: schema } },
      });
    const codeModel = model('AgentCode', 'code', { type: JsonSchemaType.STRING, pattern: '^[0-9]{6}$' });
    const actionModel = model('AgentReadout', 'action', { type: JsonSchemaType.STRING, enum: ['RESET', 'UNLOCK'] });
    const path = { 'method.request.path.contactId': true };

    const contact = this.api.root.addResource('contacts').addResource('{contactId}');
    contact.addMethod('GET', integration, { requestParameters: path, requestValidator: pathOnly });
    const verification = contact.addResource('verification');
    verification.addMethod('POST', integration, { requestParameters: path, requestValidator: pathOnly });
    verification.addResource('code').addMethod('POST', integration, {
      requestParameters: path,
      requestValidator: pathAndBody,
      requestModels: { 'application/json': codeModel },
    });
    contact.addResource('readout').addMethod('POST', integration, {
      requestParameters: path,
      requestValidator: pathAndBody,
      requestModels: { 'application/json': actionModel },
    });

    this.invokePolicy = new ManagedPolicy(this, 'AgentApiInvoke', {
      managedPolicyName: `support-desk-agent-api-invoke-${props.stage}`,
      description: "Support Desk agents: call the agent API's methods (attach to the agents' federated role)",
      statements: [
        new PolicyStatement({
          actions: ['execute-api:Invoke'],
          resources: AGENT_API_METHODS.map(([method, resource]) =>
            this.api.arnForExecuteApi(method, resource.replace('{contactId}', '*'), AGENT_API_STAGE),
          ),
        }),
      ],
    });

    new CfnOutput(Stack.of(this), 'AgentApiUrl', { value: this.api.url, description: 'The agent API (IAM-authorized)' });
    new CfnOutput(Stack.of(this), 'AgentApiInvokePolicyArn', {
      value: this.invokePolicy.managedPolicyArn,
      description: "Attach to the agents' federated role",
    });
  }
}
