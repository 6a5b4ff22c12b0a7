/**
 * Messaging: the SES v2 identity and configuration set, the email templates from the repository,
 * and (behind `smsEnabled`) an AWS End User Messaging SMS configuration set for security alerts.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import {
  CfnTemplate,
  CloudWatchDimensionSource,
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import { CfnConfigurationSet as SmsConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import type { Construct } from 'constructs';
import { EMAIL_TEMPLATES } from '../../lambdas/notifications/email-templates';
import type { DeploymentConfig } from '../deployment-config';

/** The stage's SES configuration set (every product e-mail is sent with it). */
export function emailConfigurationSetName(stage: string): string {
  return `support-desk-${stage}`;
}

export class MessagingStack extends Stack {
  /** The SES identity e-mail is sent from (created here, or one the account already has). */
  readonly identityName: string;
  readonly configurationSet: ConfigurationSet;
  /** The configuration set's name (the dimension of its AWS/SES metrics). */
  readonly configurationSetName: string;
  readonly templateNames: string[];
  /** Appended to each catalogue template name: templates are per stage, like every other name. */
  readonly templateSuffix: string;
  readonly smsConfigurationSetName: string | undefined;

  constructor(scope: Construct, id: string, props: StackProps & { config: DeploymentConfig }) {
    super(scope, id, props);
    const { config } = props;
    this.configurationSetName = emailConfigurationSetName(config.stage);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', { configurationSetName: this.configurationSetName });
    // What happens to an e-mail after SES accepted it is invisible to the sender: a template it could not
    // render (never delivered), a rejection, a bounce (a stale recovery address), a delay. Published as
    // AWS/SES metrics per configuration set, which the observability stack alarms on.
    this.configurationSet.addEventDestination('Outcomes', {
      destination: EventDestination.cloudWatchDimensions([
        { name: 'ses:configuration-set', source: CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: this.configurationSetName },
      ]),
      events: [
        EmailSendingEvent.RENDERING_FAILURE,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.DELIVERY_DELAY,
      ],
    });
    // An identity is one per account and region: a second stage, or a company domain already verified
    // in SES, reuses it (senderIdentityExists) instead of failing with AlreadyExists.
    this.identityName = config.senderIdentity;
    if (!config.senderIdentityExists) {
      new EmailIdentity(this, 'SenderIdentity', {
        identity: config.senderIdentity.includes('@') ? Identity.email(config.senderIdentity) : Identity.domain(config.senderIdentity),
        configurationSet: this.configurationSet,
      });
    }
    this.templateSuffix = `-${config.stage}`;
    this.templateNames = EMAIL_TEMPLATES.map((t) => {
      const templateName = `${t.name}${this.templateSuffix}`;
      new CfnTemplate(this, `Template-${t.name}`, {
        template: { templateName, subjectPart: t.subject, htmlPart: t.html, textPart: t.text },
      });
      return templateName;
    });
    if (config.smsEnabled) {
      const sms = new SmsConfigurationSet(this, 'SmsConfigurationSet', { configurationSetName: `support-desk-${config.stage}` });
      this.smsConfigurationSetName = sms.configurationSetName;
    }
  }
}
