/**
 * UpdateContactRecordingBehavior: what a flow says to the caller, and hears back, is the IVR portion:
 * Connect records it only with IVRRecordingBehavior Enabled ("automated interaction call recording").
 * RecordedParticipants records the agent conversation, from when an agent joins, which the twin does
 * not record (https://docs.aws.amazon.com/connect/latest/adminguide/set-recording-behavior.html).
 */
import { contactUpdate } from './block';

export const updateContactRecordingBehavior = contactUpdate(({ contact, params }) => {
  const behavior = (params.RecordingBehavior ?? {}) as { RecordedParticipants?: string[]; IVRRecordingBehavior?: string };
  contact.recording = behavior.IVRRecordingBehavior === 'Enabled';
  return undefined;
});
