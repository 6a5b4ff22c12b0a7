/**
 * Observability: one dashboard for SREs and the security team, and an alarm for each of its signals,
 * all notifying one encrypted SNS topic (the security team's address subscribed).
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambdas/configuration/function-environment';
import { pascalCase } from '../../catalogue/placeholders';
import type { DeploymentConfig } from '../deployment-config';
import type { WorkflowsStack } from './workflows-stack';
import { emailConfigurationSetName } from './messaging-stack';

/** The event counters the metrics consumer publishes (Powertools EMF, service dimension only). */
export const BUSINESS_SIGNALS = [
  {
    metric: 'ResetStarted',
    title: 'Resets started',
    threshold: 300,
    comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    why: 'an unusual surge of resets (sweep or incident)',
  },
  {
    metric: 'PasswordReset',
    title: 'Resets completed',
    threshold: 1,
    comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
    why: 'codes go out but no reset completes',
    // A count that is absent when nothing happens cannot alarm on "too few" by itself (missing data is
    // not breaching, and quiet nights must not page): it alarms when callers got codes and none finished.
    stalledAfter: { metric: 'VerificationCodeSent', atLeast: 5, period: Duration.hours(1) },
  },
  {
    metric: 'VerificationFailed',
    title: 'Verification failures',
    threshold: 100,
    comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    why: 'many wrong codes (guessing)',
  },
  {
    metric: 'AccountLocked',
    title: 'Lock-outs',
    threshold: 10,
    comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    why: 'many accounts locked',
  },
  // Sending failures only (issue-verification-code's metrics): an employee with no recovery channel is
  // not an outage, and is counted on its own below.
  {
    metric: 'CodeTextFailures',
    title: 'Code texts failing',
    threshold: 1,
    comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    why: 'texts not going out (End User Messaging SMS)',
  },
  {
    metric: 'CodeEmailFailures',
    title: 'Code e-mails failing',
    threshold: 1,
    comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    why: 'emails not going out (SES)',
  },
  {
    metric: 'CodeNoRecoveryChannel',
    title: 'Codes with nowhere to go',
    threshold: 20,
    comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
    why: 'many callers for employees with no recovery channel (an enrolment gap, or known IDs probed)',
  },
  {
    metric: 'AuditWriteFailed',
    title: 'Unaudited steps',
    threshold: 1,
    comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    why: 'a reset step whose audit record could not be written',
  },
] as const;

export class ObservabilityStack extends Stack {
  readonly topic: Topic;
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: StackProps & { config: DeploymentConfig; workflows: WorkflowsStack }) {
    super(scope, id, props);
    const { config, workflows } = props;
    // CloudWatch can publish to an encrypted topic only with a customer managed key that lets it use
    // the key, and only if the topic policy allows it: the AWS managed alias/aws/sns key's policy cannot
    // be changed, and an enforce-SSL policy alone is Deny-only
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/US_SetupSNS.html,
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Support Desk alarm topic; CloudWatch may use it to publish alarms',
      enableKeyRotation: true,
    });
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      topicName: `support-desk-alarms-${config.stage}`,
      displayName: 'Support Desk alarms',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.topic.addSubscription(new EmailSubscription(config.securityTeamEmail));
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `support-desk-${config.stage}`,
      defaultInterval: Duration.hours(3),
    });
    const alarm = (id: string, metric: IMetric, threshold: number, comparisonOperator: ComparisonOperator, description: string) => {
      const a = new Alarm(this, id, {
        alarmName: `support-desk-${config.stage}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator,
        evaluationPeriods: 1,
        // No data is no event: quiet hours must not page anyone.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(new SnsAction(this.topic));
      this.alarms.push(a);
      return a;
    };

    // Alarms take the plain metrics; the dashboard shows labelled copies (a label turns an alarm into metric math).
    const counter = (metricName: string, period = Duration.minutes(15)) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service: SERVICE_NAME }, statistic: 'Sum', period });
    const business = BUSINESS_SIGNALS.map((s) => {
      const metric = counter(s.metric);
      if ('stalledAfter' in s) {
        // Metric math (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html):
        // FILL turns "no data" into 0, so an hour with codes sent and no completed reset is a 1.
        const { metric: before, atLeast, period } = s.stalledAfter;
        const stalled = new MathExpression({
          expression: `IF(FILL(before, 0) >= ${atLeast} AND FILL(done, 0) < ${s.threshold}, 1, 0)`,
          usingMetrics: { before: counter(before, period), done: counter(s.metric, period) },
          period,
        });
        alarm(
          `${s.metric}Alarm`,
          stalled,
          1,
          ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          `${s.title}: ${s.why} (${atLeast}+ ${before} in ${period.toHours()} h, no ${s.metric})`,
        );
      } else {
        alarm(`${s.metric}Alarm`, metric, s.threshold, s.comparison, `${s.title}: ${s.why}`);
      }
      return metric.with({ label: s.title });
    });

    const machines = [...workflows.stateMachines.entries()];
    const p50 = machines.map(([name, m]) => m.metricTime({ statistic: 'p50', label: `${name} p50` }));
    const p99 = machines.map(([name, m]) => m.metricTime({ statistic: 'p99', label: `${name} p99` }));
    for (const [name, m] of machines) {
      alarm(
        `${pascalCase(name)}P99Alarm`,
        m.metricTime({ statistic: 'p99', period: Duration.minutes(5) }),
        2000,
        ComparisonOperator.GREATER_THAN_THRESHOLD,
        `${name}: p99 duration over 2 s (callers wait)`,
      );
      alarm(
        `${pascalCase(name)}FailedAlarm`,
        m.metricFailed({ period: Duration.minutes(5) }),
        1,
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        `${name}: executions failed`,
      );
    }

    const functions = [...workflows.functions.entries()];
    const errors: IMetric[] = [];
    const throttles: IMetric[] = [];
    const coldStarts: IMetric[] = [];
    for (const [name, fn] of functions) {
      const e = fn.metricErrors({ period: Duration.minutes(5) });
      const t = fn.metricThrottles({ period: Duration.minutes(5) });
      const c = new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'ColdStart',
        dimensionsMap: { service: SERVICE_NAME, function_name: fn.functionName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
      alarm(`${pascalCase(name)}ErrorsAlarm`, e, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, `${name}: Lambda errors`);
      alarm(
        `${pascalCase(name)}ThrottlesAlarm`,
        t,
        1,
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        `${name}: Lambda throttles (reserved concurrency reached?)`,
      );
      alarm(`${pascalCase(name)}ColdStartsAlarm`, c, 100, ComparisonOperator.GREATER_THAN_THRESHOLD, `${name}: unusually many cold starts`);
      errors.push(e.with({ label: name }));
      throttles.push(t.with({ label: name }));
      coldStarts.push(c.with({ label: name }));
    }

    // The audit digests: no digest in three intervals means the trail is no longer anchored. Missing data is
    // the failure here, so it breaches (unlike the event alarms, where quiet hours are normal).
    const digestLate = new Alarm(this, 'AuditDigestLateAlarm', {
      alarmName: `support-desk-${config.stage}-AuditDigestLateAlarm`,
      alarmDescription: `audit digests: none written in ${3 * config.auditDigestIntervalMinutes} minutes (the trail is not being anchored)`,
      metric: counter('AuditDigestWritten', Duration.minutes(3 * config.auditDigestIntervalMinutes)),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.BREACHING,
    });
    digestLate.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(digestLate);

    // What became of e-mails after SES accepted them (published by the messaging stack's configuration set):
    // a template it could not render or a rejection means codes and notices are not arriving; bounces, stale
    // recovery addresses. Metric names as SES publishes them (aws-cdk-lib's SESMetrics: AWS/SES).
    const email = (metricName: string, period: Duration) =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { 'ses:configuration-set': emailConfigurationSetName(config.stage) },
        statistic: 'Sum',
        period,
      });
    const emailOutcomes = [
      alarm(
        'EmailRenderingFailureAlarm',
        email('RenderingFailure', Duration.minutes(5)),
        1,
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        'e-mail: SES could not render a template, so the e-mail was not sent (codes or notices are not arriving)',
      ),
      alarm(
        'EmailRejectAlarm',
        email('Reject', Duration.minutes(5)),
        1,
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        'e-mail: SES rejected a message it had accepted',
      ),
      alarm(
        'EmailBounceAlarm',
        email('Bounce', Duration.hours(1)),
        3,
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        'e-mail: 3+ bounces in an hour (stale recovery addresses, or a sending problem)',
      ),
    ];

    // One alarm per queue, named after it: a rule target's queue (`…DeadLetters`, events EventBridge could not
    // hand to Lambda) or a function's (`…FailedEvents`, events its function failed); docs/design.md says what to do.
    const dlqDepth = workflows.deadLetterQueues.map((q) => {
      const depth = q.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
      const failedByFunction = q.node.id.endsWith('FailedEvents');
      alarm(
        `${q.node.id}Alarm`,
        depth,
        1,
        ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        failedByFunction
          ? `${q.node.id}: events whose function failed all of Lambda's attempts`
          : `${q.node.id}: events EventBridge could not hand to their function`,
      );
      return depth.with({ label: q.node.id });
    });

    const graph = (title: string, left: IMetric[], width = 8) => new GraphWidget({ title, left, width, height: 6 });
    this.dashboard.addWidgets(new TextWidget({ markdown: '# Support Desk — password resets by phone', width: 24, height: 1 }));
    this.dashboard.addWidgets(...business.map((m, i) => graph(BUSINESS_SIGNALS[i]!.title, [m], i < 3 ? 8 : 12)));
    this.dashboard.addWidgets(graph('Workflow duration p50', p50, 12), graph('Workflow duration p99', p99, 12));
    this.dashboard.addWidgets(graph('Lambda errors', errors), graph('Lambda throttles', throttles), graph('Cold starts', coldStarts));
    if (dlqDepth.length) this.dashboard.addWidgets(graph('Dead-letter queue depth', dlqDepth, 24));
    this.dashboard.addWidgets(
      graph(
        'E-mails SES accepted, then did not deliver',
        emailOutcomes.map((a) => a.metric),
        24,
      ),
    );
  }
}
