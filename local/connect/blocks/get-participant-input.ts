/**
 * GetParticipantInput on a voice call: plays its prompt and waits for keypad input. AWS:
 * - StoreInput "False" ("Get customer input"): one key picks a condition; nothing keyed in time is
 *   InputTimeLimitExceeded, a key no condition names is NoMatchingCondition
 *   (https://docs.aws.amazon.com/connect/latest/adminguide/get-customer-input.html);
 * - StoreInput "True" ("Store customer input"): the digits up to the terminating key, or up to
 *   MaximumLength (a key after that is not part of it), into $.StoredCustomerInput; nothing keyed
 *   takes the Success branch with the value "Timeout"
 *   (https://docs.aws.amazon.com/connect/latest/adminguide/store-customer-input.html).
 */
import { encryptStoredInput, StoredInputEncryptionError } from '../stored-input-encryption';
import { NEXT, NO_MATCHING_ERROR, type Block } from './block';

export const getParticipantInput: Block = {
  run(block) {
    block.log({ ...block.params });
    if (!block.playPrompt(block.params)) return NO_MATCHING_ERROR;
    return { kind: 'await', awaiting: 'dtmf' };
  },

  async input({ contact, params, deps }, input) {
    // Voice flows gather keypad input here; speech is not heard by this block.
    const keyed = (input.dtmf ?? '').replace(/[^0-9*#]/g, '');
    if (params.StoreInput === 'True') {
      const terminator = (params.DTMFConfiguration as { InputTerminationSequence?: string } | undefined)?.InputTerminationSequence ?? '#';
      const max = Number(
        (params.InputValidation as { CustomValidation?: { MaximumLength?: string } })?.CustomValidation?.MaximumLength ?? '20',
      );
      const digits = keyed.split(terminator)[0]!.slice(0, max);
      const stored = digits === '' ? 'Timeout' : digits;
      if (params.InputEncryption === undefined) {
        contact.storedCustomerInput = stored;
        return NEXT;
      }
      // Encrypted, "Timeout" included: whether Connect leaves "Timeout" in clear is not documented, so the
      // twin assumes the stricter case (a flow must not depend on reading it).
      try {
        contact.storedCustomerInput = await encryptStoredInput(stored, params.InputEncryption as object, deps.securityKeys ?? []);
      } catch (error) {
        if (!(error instanceof StoredInputEncryptionError)) throw error;
        return NO_MATCHING_ERROR;
      }
      return NEXT;
    }
    if (keyed === '') return { kind: 'error', errorType: 'InputTimeLimitExceeded' };
    return { kind: 'condition', value: keyed.charAt(0) };
  },
};
