/** MessageParticipant ("Play prompt"): plays its SSML or Text; one that resolves to nothing is an error. */
import { NEXT, NO_MATCHING_ERROR, type Block } from './block';

export const messageParticipant: Block = {
  run(block) {
    const ok = block.playPrompt(block.params);
    block.log({ ...block.params });
    return ok && (block.params.SSML !== undefined || block.params.Text !== undefined) ? NEXT : NO_MATCHING_ERROR;
  },
};
