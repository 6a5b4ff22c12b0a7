/**
 * Seeds the twin's tables: demo and synthetic employees (only those not there yet, so a restart keeps
 * what calls changed) and, when present, the prompts of `connect/prompts/`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableById } from '../../catalogue/table-catalogue';
import { localClientConfig } from '../local-credentials';
import { DEMO_EMPLOYEES, syntheticEmployee } from './demo-employees';
import { loadPromptSets } from '../../connect/prompt-catalogue';

const PARALLEL_WRITES = 25;

export async function seedDemoData(endpoint: string, options: { syntheticEmployees: number }): Promise<void> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(endpoint)));
  const table = tableById('Employees').tableName;
  const employees = [...DEMO_EMPLOYEES, ...Array.from({ length: options.syntheticEmployees }, (_, i) => syntheticEmployee(i))];
  try {
    for (let i = 0; i < employees.length; i += PARALLEL_WRITES) {
      await Promise.all(
        employees.slice(i, i + PARALLEL_WRITES).map((item) =>
          client
            .send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(employeeId)' }))
            .catch((error: Error) => {
              if (error.name !== 'ConditionalCheckFailedException') throw error;
            }),
        ),
      );
    }
    // Prompts always follow the repository (they are code, not data a call changes).
    const promptsTable = tableById('Prompts').tableName;
    await Promise.all(loadPromptSets().map((set) => client.send(new PutCommand({ TableName: promptsTable, Item: set }))));
  } finally {
    client.destroy();
  }
}
