/**
 * A bot of `lex/` as an AWS Lex V2 bot: `CfnBot` (locales, intents, sample utterances, slots, slot
 * types with regular expressions, one message group per prompt with its retries as variations played
 * in order, DTMF settings, obfuscation, wait and continue), a
 * version and a `live` alias with the code hook Lambda and (when the bot keeps them) text
 * conversation logs.
 */
import { createHash } from 'node:crypto';
import { Stack } from 'aws-cdk-lib';
import { CfnBot, CfnBotAlias, CfnBotVersion } from 'aws-cdk-lib/aws-lex';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  FALLBACK_INTENT,
  LEX_LOCALES,
  type BotDefinition,
  type LexMessage,
  type LocaleDefinition,
  type MessageGroup,
  type SlotDefinition,
} from '../../lex/bot-definition';

const lexMessage = (m: LexMessage): CfnBot.MessageProperty =>
  m.text.startsWith('<speak>') ? { ssmlMessage: { value: m.text } } : { plainTextMessage: { value: m.text } };

/** One group: Lex plays one message of it, the primary or a variation (retries are variations, not more groups). */
const messageGroup = (g: MessageGroup): CfnBot.MessageGroupProperty => ({
  message: lexMessage(g.message),
  ...(g.variations?.length ? { variations: g.variations.map(lexMessage) } : {}),
});

function slot(s: SlotDefinition): CfnBot.SlotProperty {
  const attempts = ['Initial', ...Array.from({ length: s.prompt.maxRetries }, (_, i) => `Retry${i + 1}`)];
  return {
    name: s.name,
    description: s.description,
    slotTypeName: s.slotTypeName,
    obfuscationSetting: { obfuscationSettingType: s.obfuscation },
    valueElicitationSetting: {
      slotConstraint: s.required ? 'Required' : 'Optional',
      ...(s.sampleUtterances?.length ? { sampleUtterances: s.sampleUtterances.map((utterance) => ({ utterance })) } : {}),
      ...(s.waitAndContinue
        ? {
            waitAndContinueSpecification: {
              isActive: true,
              waitingResponse: { messageGroupsList: s.waitAndContinue.waitingResponse.map(messageGroup), allowInterrupt: true },
              continueResponse: { messageGroupsList: s.waitAndContinue.continueResponse.map(messageGroup), allowInterrupt: true },
              ...(s.waitAndContinue.stillWaitingResponse
                ? {
                    stillWaitingResponse: {
                      messageGroupsList: s.waitAndContinue.stillWaitingResponse.messageGroups.map(messageGroup),
                      frequencyInSeconds: s.waitAndContinue.stillWaitingResponse.frequencyInSeconds,
                      timeoutInSeconds: s.waitAndContinue.stillWaitingResponse.timeoutInSeconds,
                      allowInterrupt: true,
                    },
                  }
                : {}),
            },
          }
        : {}),
      promptSpecification: {
        maxRetries: s.prompt.maxRetries,
        allowInterrupt: true,
        messageSelectionStrategy: s.prompt.messageSelectionStrategy,
        messageGroupsList: s.prompt.messageGroups.map(messageGroup),
        promptAttemptsSpecification: Object.fromEntries(
          attempts.map((a) => [
            a,
            {
              allowedInputTypes: { allowAudioInput: s.allowAudioInput !== false, allowDtmfInput: true },
              allowInterrupt: true,
              audioAndDtmfInputSpecification: {
                startTimeoutMs: s.prompt.startTimeoutMs,
                ...(s.dtmf
                  ? {
                      dtmfSpecification: {
                        maxLength: s.dtmf.maxLength,
                        endCharacter: s.dtmf.endCharacter,
                        deletionCharacter: s.dtmf.deletionCharacter,
                        endTimeoutMs: s.dtmf.endTimeoutMs,
                      },
                    }
                  : {}),
                ...(s.allowAudioInput !== false ? { audioSpecification: { endTimeoutMs: 1200, maxLengthMs: 15000 } } : {}),
              },
            },
          ]),
        ),
      },
    },
  };
}

function locale(l: LocaleDefinition): CfnBot.BotLocaleProperty {
  return {
    localeId: l.localeId,
    description: l.description,
    nluConfidenceThreshold: l.nluConfidenceThreshold,
    voiceSettings: { voiceId: l.voiceId, engine: 'neural' },
    slotTypes: l.slotTypes.map((t) => ({
      name: t.name,
      ...(t.parentSlotTypeSignature ? { parentSlotTypeSignature: t.parentSlotTypeSignature } : {}),
      ...(t.values
        ? {
            slotTypeValues: t.values.map((v) => ({
              sampleValue: { value: v.value },
              synonyms: (v.synonyms ?? []).map((value) => ({ value })),
            })),
          }
        : {}),
      valueSelectionSetting: {
        resolutionStrategy: t.resolution ?? 'ORIGINAL_VALUE',
        ...(t.regexPattern ? { regexFilter: { pattern: t.regexPattern } } : {}),
      },
    })),
    intents: [
      ...l.intents.map(
        (i): CfnBot.IntentProperty => ({
          name: i.name,
          description: i.description,
          sampleUtterances: i.sampleUtterances.map((utterance) => ({ utterance })),
          dialogCodeHook: { enabled: i.dialogCodeHook },
          fulfillmentCodeHook: { enabled: i.fulfillmentCodeHook },
          slots: i.slots.map(slot),
          slotPriorities: i.slots.map((s, index) => ({ priority: index + 1, slotName: s.name })),
          ...(i.closingMessage
            ? { intentClosingSetting: { closingResponse: { messageGroupsList: [messageGroup({ message: i.closingMessage })] } } }
            : {}),
        }),
      ),
      {
        name: FALLBACK_INTENT,
        description: 'Nothing matched',
        parentIntentSignature: 'AMAZON.FallbackIntent',
        ...(l.fallbackMessage
          ? { intentClosingSetting: { closingResponse: { messageGroupsList: [messageGroup({ message: l.fallbackMessage })] } } }
          : {}),
      },
    ],
  };
}

export class LexBot extends Construct {
  readonly bot: CfnBot;
  readonly alias: CfnBotAlias;
  readonly aliasArn: string;

  constructor(
    scope: Construct,
    id: string,
    props: { definition: BotDefinition; stage: string; role: IRole; codeHook?: IFunction; textLogs?: ILogGroup },
  ) {
    super(scope, id);
    const { definition } = props;
    const botLocales = LEX_LOCALES.map((id) => locale(definition.locales[id]));
    this.bot = new CfnBot(this, 'Bot', {
      name: `${definition.name}-${props.stage}`,
      description: definition.description,
      roleArn: props.role.roleArn,
      dataPrivacy: { ChildDirected: false },
      idleSessionTtlInSeconds: definition.idleSessionTtlSeconds,
      autoBuildBotLocales: true,
      botLocales,
    });
    // A BotVersion's properties never change (the bot id and DRAFT), so CloudFormation would publish
    // version 1 once and the alias would never move. Naming the version after a hash of what the bot
    // is makes every change a new version, and the alias follows it; the old version goes when the
    // update completes (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lex-botversion.html).
    const definitionHash = createHash('sha256').update(JSON.stringify(botLocales)).digest('hex');
    const version = new CfnBotVersion(this, `Version${definitionHash.slice(0, 12)}`, {
      botId: this.bot.attrId,
      description: `definition sha256:${definitionHash}`,
      botVersionLocaleSpecification: LEX_LOCALES.map((localeId) => ({ localeId, botVersionLocaleDetails: { sourceBotVersion: 'DRAFT' } })),
    });
    this.alias = new CfnBotAlias(this, 'Alias', {
      botId: this.bot.attrId,
      botAliasName: 'live',
      botVersion: version.attrBotVersion,
      botAliasLocaleSettings: LEX_LOCALES.map((localeId) => ({
        localeId,
        botAliasLocaleSetting: {
          enabled: true,
          ...(props.codeHook
            ? { codeHookSpecification: { lambdaCodeHook: { codeHookInterfaceVersion: '1.0', lambdaArn: props.codeHook.functionArn } } }
            : {}),
        },
      })),
      ...(definition.textLogs && props.textLogs
        ? {
            conversationLogSettings: {
              textLogSettings: [
                {
                  enabled: true,
                  destination: { cloudWatch: { cloudWatchLogGroupArn: props.textLogs.logGroupArn, logPrefix: `${definition.name}/` } },
                },
              ],
            },
          }
        : {}),
    });
    this.aliasArn = this.alias.attrArn;
    if (props.codeHook) {
      // Declared here (not on the function) so the functions' stack does not depend on this one.
      new CfnPermission(this, 'CodeHookPermission', {
        action: 'lambda:InvokeFunction',
        functionName: props.codeHook.functionArn,
        principal: 'lexv2.amazonaws.com',
        sourceArn: Stack.of(this).formatArn({
          service: 'lex',
          resource: 'bot-alias',
          resourceName: `${this.bot.attrId}/${this.alias.attrBotAliasId}`,
        }),
      });
    }
  }
}
