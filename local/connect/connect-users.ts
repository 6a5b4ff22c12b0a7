/**
 * The twin's Amazon Connect users. There is no sign-in in the twin: a user exists for every username that
 * is a valid agent identity (`isAgentId`, what the twin's accept and end take), and its ID is derived from
 * the username, so the same username is always the same user (a name-based UUID, version 5 layout:
 * SHA-1 of a namespace and the name, RFC 9562 §5.5). The agent who accepted a contact is that user
 * (DescribeContact's AgentInfo.Id), which is what the agent API Lambda compares with SearchUsers' answer.
 */
import { createHash } from 'node:crypto';
import { isAgentId } from '../../lambdas/domain/actor';

/** The namespace of the twin's user IDs (a fixed random UUID). */
const TWIN_USER_NAMESPACE = Buffer.from('5f0c7a2e9b1d4c6f8a3e2d1b0c9f8e7d', 'hex');

/** Whether the twin has a Connect user with this username. */
export function isTwinUsername(username: unknown): username is string {
  return isAgentId(username);
}

/** The Connect user ID of a username: a UUID (version 5 layout) derived from the name. */
export function twinUserId(username: string): string {
  const hash = createHash('sha1').update(TWIN_USER_NAMESPACE).update(username, 'utf8').digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
