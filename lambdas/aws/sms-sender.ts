/**
 * Security alerts by SMS through AWS End User Messaging SMS (pinpoint-sms-voice-v2 SendTextMessage),
 * with the stage's configuration set when one is configured (read once, at cold start).
 */
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { ENV, optionalEnv } from '../configuration/environment';

const sms = new PinpointSMSVoiceV2Client({ maxAttempts: 3 });
const configurationSet = optionalEnv(ENV.smsConfigurationSet);

export async function sendTextMessage(message: { to: string; originationIdentity: string; body: string }): Promise<string | undefined> {
  const out = await sms.send(
    new SendTextMessageCommand({
      DestinationPhoneNumber: message.to,
      OriginationIdentity: message.originationIdentity,
      MessageBody: message.body.slice(0, 320),
      MessageType: 'TRANSACTIONAL',
      ...(configurationSet && { ConfigurationSetName: configurationSet }),
    }),
  );
  return out.MessageId;
}
