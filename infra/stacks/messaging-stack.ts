/**
 * Messaging: the SES v2 identity and configuration set, the email templates from the repository,
 * and (behind `smsEnabled`) an AWS End User Messaging SMS configuration set for security alerts.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnTemplate, ConfigurationSet, EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { CfnConfigurationSet as SmsConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import type { Construct } from 'constructs';
import { EMAIL_TEMPLATES } from '../../lambdas/notifications/email-templates';
import type { DeploymentConfig } from '../deployment-config';

export class MessagingStack extends Stack {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly templateNames: string[];
  readonly smsConfigurationSetName: string | undefined;

  constructor(scope: Construct, id: string, props: StackProps & { config: DeploymentConfig }) {
    super(scope, id, props);
    const { config } = props;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', { configurationSetName: `support-desk-${config.stage}` });
    this.identity = new EmailIdentity(this, 'SenderIdentity', {
      identity: config.senderIdentity.includes('@') ? Identity.email(config.senderIdentity) : Identity.domain(config.senderIdentity),
      configurationSet: this.configurationSet,
    });
    this.templateNames = EMAIL_TEMPLATES.map((t) => {
      new CfnTemplate(this, `Template-${t.name}`, {
        template: { templateName: t.name, subjectPart: t.subject, htmlPart: t.html, textPart: t.text },
      });
      return t.name;
    });
    if (config.smsEnabled) {
      const sms = new SmsConfigurationSet(this, 'SmsConfigurationSet', { configurationSetName: `support-desk-${config.stage}` });
      this.smsConfigurationSetName = sms.configurationSetName;
    }
  }
}
