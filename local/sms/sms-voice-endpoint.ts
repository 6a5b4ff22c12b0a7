/**
 * The twin's AWS End User Messaging SMS (the `@aws-sdk/client-pinpoint-sms-voice-v2` API): AWS JSON 1.0
 * (`X-Amz-Target: PinpointSMSVoiceV2.*`, the client's `serviceTarget` and botocore's `targetPrefix`)
 * with SendTextMessage only — what lambdas/aws/sms-sender.ts calls. Every other operation is
 * UnknownOperationException: the twin refuses rather than pretends (no phone numbers, pools, opt-out
 * lists, configuration sets or registrations exist here).
 * Written by hand: no npm package emulates End User Messaging SMS, and one operation that checks its
 * input and keeps the text is a page of code.
 *
 * The request is checked as the API reference constrains it
 * (https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html):
 * DestinationPhoneNumber required, 1–20 characters matching `\+?[1-9][0-9]{1,18}`; OriginationIdentity
 * 1–256 of `[A-Za-z0-9_:/\+-]`; MessageBody 1–1600 characters, not only white space; MessageType
 * TRANSACTIONAL or PROMOTIONAL; ConfigurationSetName 1–256 of `[A-Za-z0-9_:/-]`; Keyword, MaxPrice,
 * TimeToLive (5–259200 s), Context (≤ 5), DestinationCountryParameters (≤ 10) and
 * ProtectConfigurationId likewise. A violation is a ValidationException with the documented shape —
 * `Message`, `Reason` (FIELD_VALIDATION_FAILED) and `Fields: [{ Name, Message }]`
 * (https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_ValidationExceptionField.html,
 * https://docs.aws.amazon.com/botocore/latest/reference/services/pinpoint-sms-voice-v2/client/exceptions/ValidationException.html).
 * A member of the wrong JSON type does not deserialize: SerializationException.
 *
 * Two checks are the twin's, stricter than the model's pattern, so that green here is green on AWS:
 * the destination must be E.164 as the reference describes it ("The destination phone number in E.164
 * format": a `+` and at most 15 digits) — Reason INVALID_PARAMETER; and a text must have a body —
 * Reason MISSING_PARAMETER (the model leaves MessageBody optional, but a text without one is nothing
 * the product would send). A valid request is then looked up in the account (`SmsAccount`: the twin's
 * phone number and configuration set): an origination identity or configuration set it does not have is
 * ResourceNotFoundException, as on AWS. Not modelled: spend limits, opt-outs, registrations or throttling.
 * Messages never echo a value: a body holds a verification code and a number is personal data, and a
 * caller may log the error.
 *
 * Every text sent is kept in the data folder (`sms.jsonl`), restored at start (a restart keeps the
 * texts, like the mail store); `DryRun: true` checks the request and keeps nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { AwsServiceError } from '../http/aws-service-error';
import { createAwsJsonServer } from '../http/aws-json-protocol-server';
import { lambdaRoleCheck, type LambdaRoles } from '../lambda/lambda-roles';
import { type JsonlFile, readJsonLines } from '../retention/jsonl-file';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../local-credentials';

/** E.164: a `+`, a country code that does not start with 0, at most 15 digits in all. */
export const E164_PATTERN = /^\+[1-9][0-9]{1,14}$/;

export const SMS_MESSAGE_TYPES = ['TRANSACTIONAL', 'PROMOTIONAL'] as const;
export type SmsMessageType = (typeof SMS_MESSAGE_TYPES)[number];

/** One text as the twin keeps it (a line of `sms.jsonl`). */
export interface StoredText {
  messageId: string;
  /** When the twin accepted it (ISO 8601). */
  time: string;
  /** E.164. */
  destination: string;
  originationIdentity?: string;
  configurationSet?: string;
  messageType?: SmsMessageType;
  body: string;
}

/** The texts the twin has sent, kept in the data folder's `sms.jsonl` and restored from it. */
export class SmsStore {
  private readonly stored: StoredText[];

  constructor(
    private readonly file: JsonlFile,
    private readonly now: () => number = Date.now,
  ) {
    this.stored = readJsonLines<StoredText>(file.path);
  }

  add(text: Omit<StoredText, 'messageId' | 'time'>): StoredText {
    const stored: StoredText = { messageId: randomUUID(), time: new Date(this.now()).toISOString(), ...text };
    this.stored.push(stored);
    this.file.append(stored);
    return stored;
  }

  /** Texts sent, oldest first (newest last), to one number if `to` is given. */
  texts(filter: { to?: string } = {}): StoredText[] {
    return this.stored.filter((t) => filter.to === undefined || t.destination === filter.to);
  }
}

// The SendTextMessageRequest members' constraints, from the API reference (see the header).
interface StringRule {
  min: number;
  max: number;
  pattern?: RegExp;
  patternText?: string;
}
const STRING_RULES: Record<string, StringRule> = {
  DestinationPhoneNumber: { min: 1, max: 20, pattern: /^\+?[1-9][0-9]{1,18}$/, patternText: '\\+?[1-9][0-9]{1,18}' },
  OriginationIdentity: { min: 1, max: 256, pattern: /^[A-Za-z0-9_:/+-]+$/, patternText: '[A-Za-z0-9_:/\\+-]+' },
  MessageBody: { min: 1, max: 1600, pattern: /^(?!\s*$)[\s\S]+$/, patternText: '(?!\\s*$)[\\s\\S]+' },
  Keyword: { min: 1, max: 30, pattern: /^[ \S]+$/, patternText: '[ \\S]+' },
  ConfigurationSetName: { min: 1, max: 256, pattern: /^[A-Za-z0-9_:/-]+$/, patternText: '[A-Za-z0-9_:/-]+' },
  MaxPrice: { min: 2, max: 8, pattern: /^[0-9]{0,2}\.[0-9]{1,5}$/, patternText: '[0-9]{0,2}\\.[0-9]{1,5}' },
  ProtectConfigurationId: { min: 1, max: 256, pattern: /^[A-Za-z0-9_:/-]+$/, patternText: '[A-Za-z0-9_:/-]+' },
};
const TIME_TO_LIVE = { min: 5, max: 259_200 };
const MAX_CONTEXT_ENTRIES = 5;
const DESTINATION_COUNTRY_PARAMETER_KEYS = ['IN_TEMPLATE_ID', 'IN_ENTITY_ID'];
const MAX_DESTINATION_COUNTRY_PARAMETERS = 10;

interface FieldError {
  Name: string;
  Message: string;
}

/** A ValidationException as End User Messaging SMS sends it: Message, Reason and the fields at fault. */
function validationException(reason: string, fields: FieldError[]): AwsServiceError {
  const count = `${fields.length} validation error${fields.length === 1 ? '' : 's'} detected`;
  const message = `${count}: ${fields.map((f) => f.Message).join('; ')}`;
  return new AwsServiceError('ValidationException', message, 400, { Message: message, Reason: reason, Fields: fields });
}

/** `destinationPhoneNumber`: how AWS's validation messages name a member. */
const memberPath = (member: string) => `${member.charAt(0).toLowerCase()}${member.slice(1)}`;

/** Smithy lengths count Unicode code points, not UTF-16 units. */
const codePoints = (s: string) => [...s].length;

function checkString(input: Record<string, unknown>, member: string, errors: FieldError[]): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsServiceError('SerializationException', `${member} must be a string`);
  const rule = STRING_RULES[member]!;
  const at = `Value at '${memberPath(member)}' failed to satisfy constraint: Member must`;
  const length = codePoints(value);
  if (length < rule.min) errors.push({ Name: member, Message: `${at} have length greater than or equal to ${rule.min}` });
  else if (length > rule.max) errors.push({ Name: member, Message: `${at} have length less than or equal to ${rule.max}` });
  else if (rule.pattern && !rule.pattern.test(value))
    errors.push({ Name: member, Message: `${at} satisfy regular expression pattern: ${rule.patternText}` });
  return value;
}

function checkStringMap(
  input: Record<string, unknown>,
  member: string,
  maxEntries: number,
  errors: FieldError[],
  entryOk: (key: string, value: string) => boolean,
): void {
  const value = input[member];
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'string'))
    throw new AwsServiceError('SerializationException', `${member} must be a map of strings`);
  const entries = Object.entries(value as Record<string, string>);
  const at = `Value at '${memberPath(member)}' failed to satisfy constraint: Member must`;
  if (entries.length > maxEntries) errors.push({ Name: member, Message: `${at} have length less than or equal to ${maxEntries}` });
  else if (!entries.every(([k, v]) => entryOk(k, v)))
    errors.push({ Name: member, Message: `${at} have keys and values that satisfy their constraints` });
}

export interface SendTextMessageInput {
  destination: string;
  body: string;
  originationIdentity?: string;
  configurationSet?: string;
  messageType?: SmsMessageType;
  dryRun: boolean;
}

/**
 * A SendTextMessage request checked as AWS checks it (all the model's constraints at once, as one
 * ValidationException), then the twin's two stricter checks.
 */
export function parseSendTextMessage(input: Record<string, unknown>): SendTextMessageInput {
  const errors: FieldError[] = [];
  if (input.DestinationPhoneNumber === undefined || input.DestinationPhoneNumber === null)
    errors.push({
      Name: 'DestinationPhoneNumber',
      Message: "Value null at 'destinationPhoneNumber' failed to satisfy constraint: Member must not be null",
    });
  const destination = checkString(input, 'DestinationPhoneNumber', errors);
  const originationIdentity = checkString(input, 'OriginationIdentity', errors);
  const body = checkString(input, 'MessageBody', errors);
  const configurationSet = checkString(input, 'ConfigurationSetName', errors);
  for (const member of ['Keyword', 'MaxPrice', 'ProtectConfigurationId']) checkString(input, member, errors);
  const messageType = input.MessageType;
  if (messageType !== undefined && messageType !== null) {
    if (typeof messageType !== 'string') throw new AwsServiceError('SerializationException', 'MessageType must be a string');
    if (!(SMS_MESSAGE_TYPES as readonly string[]).includes(messageType))
      errors.push({
        Name: 'MessageType',
        Message: `Value at 'messageType' failed to satisfy constraint: Member must satisfy enum value set: [${SMS_MESSAGE_TYPES.join(', ')}]`,
      });
  }
  const ttl = input.TimeToLive;
  if (ttl !== undefined && ttl !== null) {
    if (typeof ttl !== 'number' || !Number.isInteger(ttl))
      throw new AwsServiceError('SerializationException', 'TimeToLive must be an integer');
    if (ttl < TIME_TO_LIVE.min || ttl > TIME_TO_LIVE.max)
      errors.push({
        Name: 'TimeToLive',
        Message: `Value at 'timeToLive' failed to satisfy constraint: Member must have value between ${TIME_TO_LIVE.min} and ${TIME_TO_LIVE.max}`,
      });
  }
  // ContextKey `\S+` (1–100), ContextValue 1–800 without white space at either end;
  // DestinationCountryParameterKey an enum, its value `\S+` (1–64).
  checkStringMap(
    input,
    'Context',
    MAX_CONTEXT_ENTRIES,
    errors,
    (k, v) => /^\S{1,100}$/.test(k) && codePoints(v) <= 800 && /^(?!\s)[\s\S]+(?<!\s)$/.test(v),
  );
  checkStringMap(
    input,
    'DestinationCountryParameters',
    MAX_DESTINATION_COUNTRY_PARAMETERS,
    errors,
    (k, v) => DESTINATION_COUNTRY_PARAMETER_KEYS.includes(k) && /^\S{1,64}$/.test(v),
  );
  for (const member of ['DryRun', 'MessageFeedbackEnabled']) {
    const flag = input[member];
    if (flag !== undefined && flag !== null && typeof flag !== 'boolean')
      throw new AwsServiceError('SerializationException', `${member} must be a boolean`);
  }
  if (errors.length > 0) throw validationException('FIELD_VALIDATION_FAILED', errors);

  // The twin's stricter checks (see the header).
  if (!E164_PATTERN.test(destination!))
    throw validationException('INVALID_PARAMETER', [
      {
        Name: 'DestinationPhoneNumber',
        Message: 'The destination phone number must be in E.164 format: a + and the country code, at most 15 digits',
      },
    ]);
  if (body === undefined)
    throw validationException('MISSING_PARAMETER', [{ Name: 'MessageBody', Message: 'A text message needs a MessageBody' }]);
  return {
    destination: destination!,
    body,
    ...(originationIdentity !== undefined && { originationIdentity }),
    ...(configurationSet !== undefined && { configurationSet }),
    ...(typeof messageType === 'string' && { messageType: messageType as SmsMessageType }),
    dryRun: input.DryRun === true,
  };
}

/** IAM for the handlers' calls: SendTextMessage where the function may text, nothing else (lambdas/function-role.ts). */
const callsOf = (operation: string, input: Record<string, unknown>) => {
  const resource = typeof input.OriginationIdentity === 'string' ? input.OriginationIdentity : '*';
  return [
    operation === 'SendTextMessage'
      ? { request: { action: 'sms-voice:SendTextMessage' as const }, resource }
      : { request: { action: `sms-voice:${operation}`, other: true as const }, resource },
  ];
};

/** What the twin's account has in End User Messaging SMS: the phone numbers it sends from, its configuration sets. */
export interface SmsAccount {
  phoneNumbers: readonly { id: string; number: string }[];
  configurationSets: readonly string[];
}

/** The IAM/ARN form of an account resource. */
const smsArn = (type: string, id: string) => `arn:aws:sms-voice:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${type}/${id}`;

/**
 * ResourceNotFoundException, with the members AWS's error shape has (Message, ResourceType, ResourceId:
 * https://docs.aws.amazon.com/botocore/latest/reference/services/pinpoint-sms-voice-v2/client/exceptions/ResourceNotFoundException.html),
 * for an origination identity or configuration set the account does not have. The message is the twin's.
 */
function resourceNotFound(resourceType: string, resourceId: string): AwsServiceError {
  const message = `The ${resourceType} was not found.`;
  return new AwsServiceError('ResourceNotFoundException', message, 400, {
    Message: message,
    ResourceType: resourceType,
    ResourceId: resourceId,
  });
}

/** An origination identity names a phone number (its ID, ARN or E.164 number), a pool, or a sender ID. */
function originationType(identity: string): string {
  if (/^pool-|:pool\//.test(identity)) return 'pool';
  if (/^sender-id-|:sender-id\//.test(identity)) return 'sender-id';
  return /^phone-|^\+|:phone-number\//.test(identity) ? 'phone-number' : 'sender-id';
}

/** Refuses a text naming an origination identity or configuration set the account does not have. */
function checkAccountResources(text: { originationIdentity?: string; configurationSet?: string }, account: SmsAccount): void {
  const identity = text.originationIdentity;
  if (identity !== undefined && !account.phoneNumbers.some((p) => [p.id, p.number, smsArn('phone-number', p.id)].includes(identity)))
    throw resourceNotFound(originationType(identity), identity);
  const set = text.configurationSet;
  if (set !== undefined && !account.configurationSets.some((name) => name === set || smsArn('configuration-set', name) === set))
    throw resourceNotFound('configuration-set', set);
}

export function createSmsVoiceServer(store: SmsStore, options: { roles?: LambdaRoles; account?: SmsAccount } = {}): Server {
  return createAwsJsonServer({
    targetPrefix: 'PinpointSMSVoiceV2',
    contentType: 'application/x-amz-json-1.0',
    ...(options.roles ? { authorize: lambdaRoleCheck(options.roles, callsOf) } : {}),
    operations: {
      // https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html:
      // the response is `{ "MessageId": "string" }`. DryRun: "the message is checked and validated, but
      // isn't sent to the end recipient".
      SendTextMessage: (input) => {
        const { dryRun, ...text } = parseSendTextMessage(input);
        // Validated first, then looked up: a dry run checks both too.
        if (options.account) checkAccountResources(text, options.account);
        if (dryRun) return { MessageId: randomUUID() };
        return { MessageId: store.add(text).messageId };
      },
    },
  });
}
