/**
 * What a DynamoDB request consumes in on-demand request units, from the request and the answer as they
 * crossed the wire (issue #21, the cost of a reset). Written by hand: the libraries that size items
 * (e.g. dyno-item-size) take plain objects, and the twin meters the AttributeValue wire format.
 *
 * Item size (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * the sum of attribute names and values; strings and binaries their bytes, numbers 1 byte per two
 * significant digits plus 1, null and booleans 1, lists and maps 3 bytes plus their elements, each
 * element 1 byte more.
 * Units (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html):
 * a write is 1 WRU per KB of the item (at least 1, a failed condition included); a strongly consistent
 * read 1 RRU per 4 KB, an eventually consistent one half that; a Query sums the sizes of the items it
 * returns before rounding; a GetItem of nothing still costs the minimum. A write also writes each global
 * secondary index whose key the item has (projection ALL here: the item's size again).
 * Approximation, said where it is used: an UpdateItem or DeleteItem is sized by what the request and the
 * answer show (the key and the new values, or the returned item), as the twin does not read the item
 * before; the twin's items are well under 1 KB, so that is 1 WRU as AWS would charge.
 */
import { TABLES } from '../../catalogue/table-catalogue';

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

export interface CapacityUnits {
  readRequestUnits: number;
  writeRequestUnits: number;
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

function valueSize(value: AttributeValue): number {
  const [type, raw] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'S':
      return utf8(String(raw));
    case 'N': {
      const digits = String(raw).replace(/^[-+]/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
      return Math.ceil(Math.max(1, digits.length) / 2) + 1;
    }
    case 'B':
      return Buffer.from(String(raw), 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (raw as string[]).reduce((n, s) => n + utf8(s), 0);
    case 'NS':
      return (raw as string[]).reduce((n, s) => n + valueSize({ N: s }), 0);
    case 'BS':
      return (raw as string[]).reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
    case 'L':
      return 3 + (raw as AttributeValue[]).reduce((n, v) => n + 1 + valueSize(v), 0);
    case 'M':
      return 3 + Object.entries(raw as Item).reduce((n, [k, v]) => n + 1 + utf8(k) + valueSize(v), 0);
    default:
      return 0;
  }
}

export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((n, [name, value]) => n + utf8(name) + valueSize(value), 0);
}

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnits = (bytes: number, consistent: boolean) => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

/** The global secondary indexes a written item lands in (those whose partition key it has). */
function indexWrites(tableName: unknown, item: Item | undefined): number {
  const table = TABLES.find((t) => t.tableName === tableName);
  return (table?.globalSecondaryIndexes ?? []).filter((index) => item && index.partitionKey.name in item).length;
}

/** The request units of one DynamoDB operation (zero for what is not a data operation). */
export function capacityOf(operation: string, request: Record<string, unknown>, response: Record<string, unknown>): CapacityUnits {
  const consistent = request.ConsistentRead === true;
  switch (operation) {
    case 'GetItem':
      return { readRequestUnits: readUnits(itemSize(response.Item as Item), consistent), writeRequestUnits: 0 };
    case 'Query':
    case 'Scan': {
      const bytes = ((response.Items as Item[] | undefined) ?? []).reduce((n, item) => n + itemSize(item), 0);
      return { readRequestUnits: readUnits(bytes, consistent), writeRequestUnits: 0 };
    }
    case 'PutItem': {
      const item = request.Item as Item | undefined;
      const units = writeUnits(itemSize(item));
      return { readRequestUnits: 0, writeRequestUnits: units * (1 + indexWrites(request.TableName, item)) };
    }
    case 'UpdateItem':
    case 'DeleteItem': {
      const returned = response.Attributes as Item | undefined;
      const values = request.ExpressionAttributeValues as Item | undefined;
      const bytes = Math.max(itemSize(returned), itemSize(request.Key as Item) + itemSize(values));
      return { readRequestUnits: 0, writeRequestUnits: writeUnits(bytes) };
    }
    default:
      return { readRequestUnits: 0, writeRequestUnits: 0 };
  }
}
