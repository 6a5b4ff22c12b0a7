/**
 * ConnectParticipantWithLexBot ("Get customer input" with a Lex V2 bot) on a voice call: plays its
 * prompt, then the caller's answers go to the bot until it closes the intent; the intent's name picks
 * the condition. Lex initialization data is chat-only ("The Voice channel is not supported",
 * https://docs.aws.amazon.com/connect/latest/APIReference/participant-actions-connectparticipantwithlexbot.html):
 * on a voice contact the block takes its error branch.
 */
import type { LexLocaleId } from '../../../lex/bot-definition';
import { LexRuntimeError, type RecognizeTextResponse } from '../../lex/lex-runtime';
import type { CallerInput } from '../call-snapshot';
import { foreignIntentName, withDerived } from '../flow-mapping';
import { NO_MATCHING_ERROR, type Block, type BlockContext, type Step } from './block';

const aliasArnOf = ({ contact, params }: BlockContext) =>
  contact.resolve((params.LexV2Bot as { AliasArn?: string } | undefined)?.AliasArn) ?? '';

export const connectParticipantWithLexBot: Block = {
  run(block) {
    const { contact, params } = block;
    block.log({ ...params });
    if (params.LexInitializationData !== undefined || params.LexInitilizationData !== undefined) return NO_MATCHING_ERROR;
    if (!block.playPrompt(params)) return NO_MATCHING_ERROR;
    contact.lex = { Slots: {}, SessionAttributes: {} };
    // The block's session attributes go with the bot's first turn.
    const attributes: Record<string, string> = {};
    for (const [key, raw] of Object.entries((params.LexSessionAttributes ?? {}) as Record<string, unknown>)) {
      const value = contact.resolve(raw);
      if (value !== undefined) attributes[key] = value;
    }
    contact.lexSessionAttributes = attributes;
    return { kind: 'await', awaiting: 'voice_or_dtmf' };
  },

  /**
   * What the caller says or keys goes to the bot, silence included: on voice, Lex re-prompts and falls
   * back by itself; InputTimeLimitExceeded is a chat setting (LexTimeoutSeconds) and never fires on a
   * call. Keys pressed after a keypad input ended go to the bot as its next input.
   */
  async input(block, input) {
    const { contact } = block;
    let step = await lexTurn(block, input, input.dtmf !== undefined ? 'DTMF' : 'Speech');
    while (step.kind === 'await' && contact.remainingKeys) {
      const keys = contact.remainingKeys;
      contact.remainingKeys = undefined;
      step = await lexTurn(block, { dtmf: keys }, 'DTMF');
    }
    contact.remainingKeys = undefined;
    return step;
  },

  observed: (block) => ({ LexV2Bot: { AliasArn: (block.params.LexV2Bot as { AliasArn?: string } | undefined)?.AliasArn ?? '' } }),
};

async function lexTurn(block: BlockContext, input: CallerInput, inputMode: 'Text' | 'Speech' | 'DTMF'): Promise<Step> {
  const { contact, deps } = block;
  const botName = deps.botForAlias(aliasArnOf(block));
  if (!botName) return NO_MATCHING_ERROR;
  const sessionAttributes = contact.lexSessionAttributes;
  contact.lexSessionAttributes = undefined;
  let response: RecognizeTextResponse;
  try {
    response = await deps.lex.recognizeText({
      botName,
      localeId: contact.languageCode.replace('-', '_') as LexLocaleId,
      sessionId: contact.contactId,
      text: input.dtmf ?? input.text ?? '',
      inputMode,
      ...(sessionAttributes ? { sessionAttributes } : {}),
      requestAttributes: { 'x-amz-lex:channels:platform': 'Connect' },
    });
  } catch (error) {
    if (!(error instanceof LexRuntimeError)) throw error;
    deps.lex.endSession(botName, contact.contactId);
    return NO_MATCHING_ERROR;
  }
  for (const m of response.messages) block.play(m.contentType === 'SSML' ? { ssml: m.content } : { text: m.content });
  if (response.sessionState.dialogAction.type !== 'Close') {
    contact.remainingKeys = response.remainingKeys;
    return { kind: 'await', awaiting: 'voice_or_dtmf' };
  }
  const intent = response.sessionState.intent;
  const intentName = foreignIntentName(deps.mapping, intent?.name);
  contact.lex = {
    IntentName: intentName,
    Slots: Object.fromEntries(Object.entries(intent?.slots ?? {}).map(([k, v]) => [k, v?.value.interpretedValue ?? null])),
    SessionAttributes: withDerived(response.sessionState.sessionAttributes, deps.mapping?.sessionAttributes) as Record<string, string>,
  };
  return { kind: 'condition', value: intentName };
}
