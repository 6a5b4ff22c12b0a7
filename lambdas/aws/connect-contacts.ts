/**
 * The Amazon Connect adapter of the agent desk (lambdas/domain/agent-desk.ts): what the desk may know of a
 * contact, the attributes it writes on it, and the Connect user an agent's IAM principal is.
 *
 * One ConnectClient per container, with the SDK's standard configuration only: in the twin the same code
 * reaches the twin's Connect REST endpoint through AWS_ENDPOINT_URL_CONNECT, as every other client does.
 *
 * API reference (Amazon Connect):
 * - DescribeContact https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeContact.html,
 *   the Contact https://docs.aws.amazon.com/connect/latest/APIReference/API_Contact.html and AgentInfo
 *   https://docs.aws.amazon.com/connect/latest/APIReference/API_AgentInfo.html data types;
 * - GetContactAttributes https://docs.aws.amazon.com/connect/latest/APIReference/API_GetContactAttributes.html
 *   and UpdateContactAttributes https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateContactAttributes.html
 *   take the *initial* contact ID;
 * - SearchUsers https://docs.aws.amazon.com/connect/latest/APIReference/API_SearchUsers.html (a StringCondition
 *   on `Username`, ComparisonType EXACT).
 */
import {
  ConnectClient,
  DescribeContactCommand,
  GetContactAttributesCommand,
  ResourceNotFoundException,
  SearchUsersCommand,
  UpdateContactAttributesCommand,
  type Contact,
} from '@aws-sdk/client-connect';
import type { DeskContact } from '../domain/agent-desk';

/** Exported for tests (aws-sdk-client-mock). */
export const connect = new ConnectClient({});

/** The calling number when Connect gives none (a withheld number, or a contact that is not a call). */
export const ANONYMOUS_CALLER = 'anonymous';

/**
 * The Connect user the contact is connected to now, or undefined.
 *
 * AgentInfo.Id is "the identifier of the agent who accepted the contact" and stays on the contact after
 * the agent has left, so it alone does not say the agent is still there. Connected means:
 * - `AgentInfo.ConnectedToAgentTimestamp` is set ("the timestamp when the contact was connected to the agent"):
 *   a contact routed to an agent but not yet answered (ringing, missed) is not connected;
 * - `AgentInfo.AfterContactWorkStartTimestamp` is not set: the agent's leg is over once the agent has
 *   disconnected from the customer and is doing After Contact Work (the agent leaving the call is what sends
 *   the caller to the readout flow, docs/design.md);
 * - `DisconnectTimestamp` is not set on the contact ("the date and time that the customer endpoint
 *   disconnected from the current contact"): the call is over.
 */
export function connectedUserIdOf(contact: Contact): string | undefined {
  const agent = contact.AgentInfo;
  if (!agent?.Id || !agent.ConnectedToAgentTimestamp) return undefined;
  if (agent.AfterContactWorkStartTimestamp || contact.DisconnectTimestamp) return undefined;
  return agent.Id;
}

function isNotFound(error: unknown): boolean {
  return error instanceof ResourceNotFoundException || (error as Error | undefined)?.name === 'ResourceNotFoundException';
}

export class ConnectContacts {
  /** contactId → its initial contact ID, learnt from DescribeContact (the attribute APIs take the initial one). */
  private readonly initialIds = new Map<string, string>();

  constructor(
    private readonly instanceId: string,
    private readonly client: ConnectClient = connect,
  ) {}

  /** The contact as the desk sees it, or undefined when Connect has no such contact. */
  async deskContact(contactId: string): Promise<DeskContact | undefined> {
    let contact: Contact | undefined;
    try {
      ({ Contact: contact } = await this.client.send(new DescribeContactCommand({ InstanceId: this.instanceId, ContactId: contactId })));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if (!contact) return undefined;
    const initialContactId = this.initialIdOf(contactId, contact);
    let attributes: Record<string, string>;
    try {
      ({ Attributes: attributes = {} } = await this.client.send(
        new GetContactAttributesCommand({ InstanceId: this.instanceId, InitialContactId: initialContactId }),
      ));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const connectedUserId = connectedUserIdOf(contact);
    return {
      ...(connectedUserId !== undefined && { connectedUserId }),
      attributes,
      // DescribeContact returns the customer endpoint in this SDK version (Contact.CustomerEndpoint, an
      // EndpointInfo whose Address is the E.164 number for a call).
      callerNumber: contact.CustomerEndpoint?.Address || ANONYMOUS_CALLER,
    };
  }

  /** Sets user-defined attributes on the contact (on its initial contact, as Connect keeps them). */
  async updateAttributes(contactId: string, attributes: Record<string, string>): Promise<void> {
    let initialContactId = this.initialIds.get(contactId);
    if (initialContactId === undefined) {
      const { Contact: contact } = await this.client.send(
        new DescribeContactCommand({ InstanceId: this.instanceId, ContactId: contactId }),
      );
      initialContactId = this.initialIdOf(contactId, contact ?? {});
    }
    await this.client.send(
      new UpdateContactAttributesCommand({ InstanceId: this.instanceId, InitialContactId: initialContactId, Attributes: attributes }),
    );
  }

  /** The ID of the Connect user with exactly this username, or undefined (none, or not exactly one). */
  async connectUserIdOf(username: string): Promise<string | undefined> {
    const { Users = [] } = await this.client.send(
      new SearchUsersCommand({
        InstanceId: this.instanceId,
        MaxResults: 2,
        SearchCriteria: { StringCondition: { FieldName: 'Username', Value: username, ComparisonType: 'EXACT' } },
      }),
    );
    const exact = Users.filter((user) => user.Username === username && typeof user.Id === 'string' && user.Id !== '');
    return exact.length === 1 ? exact[0]!.Id : undefined;
  }

  private initialIdOf(contactId: string, contact: Contact): string {
    const initialContactId = contact.InitialContactId || contactId;
    this.initialIds.set(contactId, initialContactId);
    return initialContactId;
  }
}
