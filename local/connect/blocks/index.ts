/**
 * Every contact-flow block the twin runs, by flow-language action type. A type not here takes its
 * error branch, as a block Connect cannot run would (flow-validator.ts refuses most of them first).
 * Adding a block: a file in this folder, an entry here, its schema in ../flow-action-schemas.ts
 * (docs/recipes.md).
 */
import type { Block } from './block';
import { checkHoursOfOperation } from './check-hours-of-operation';
import { compare } from './compare';
import { connectParticipantWithLexBot } from './connect-participant-with-lex-bot';
import { disconnectParticipant } from './disconnect-participant';
import { getParticipantInput } from './get-participant-input';
import { invokeLambdaFunction } from './invoke-lambda-function';
import { loop } from './loop';
import { messageParticipant } from './message-participant';
import { transferContactToQueue } from './transfer-contact-to-queue';
import { updateContactAttributes } from './update-contact-attributes';
import { updateContactData } from './update-contact-data';
import { updateContactEventHooks } from './update-contact-event-hooks';
import { updateContactRecordingBehavior } from './update-contact-recording-behavior';
import { updateContactTargetQueue } from './update-contact-target-queue';
import { updateContactTextToSpeechVoice } from './update-contact-text-to-speech-voice';
import { updateFlowLoggingBehavior } from './update-flow-logging-behavior';

export const BLOCKS: ReadonlyMap<string, Block> = new Map<string, Block>([
  ['MessageParticipant', messageParticipant],
  ['GetParticipantInput', getParticipantInput],
  ['ConnectParticipantWithLexBot', connectParticipantWithLexBot],
  ['InvokeLambdaFunction', invokeLambdaFunction],
  ['Compare', compare],
  ['UpdateContactAttributes', updateContactAttributes],
  ['UpdateContactData', updateContactData],
  ['UpdateContactTextToSpeechVoice', updateContactTextToSpeechVoice],
  ['Loop', loop],
  ['UpdateContactTargetQueue', updateContactTargetQueue],
  ['UpdateContactEventHooks', updateContactEventHooks],
  ['TransferContactToQueue', transferContactToQueue],
  ['CheckHoursOfOperation', checkHoursOfOperation],
  ['DisconnectParticipant', disconnectParticipant],
  ['EndFlowExecution', disconnectParticipant],
  ['UpdateFlowLoggingBehavior', updateFlowLoggingBehavior],
  ['UpdateContactRecordingBehavior', updateContactRecordingBehavior],
]);
