/**
 * The request units the twin's meter charges a DynamoDB operation (local/metering/dynamodb-capacity.ts),
 * against the sizing rules of https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html.
 */
import { capacityOf, itemSize } from '../../local/metering/dynamodb-capacity';

describe('item size', () => {
  it('counts names and values as the developer guide says', () => {
    expect(itemSize({ id: { S: 'abc' } })).toBe(2 + 3);
    expect(itemSize({ n: { N: '123' } })).toBe(1 + 2 + 1); // 3 significant digits: 2 bytes, plus 1
    expect(itemSize({ n: { N: '1000' } })).toBe(1 + 1 + 1); // trailing zeroes trimmed
    expect(itemSize({ b: { BOOL: true }, z: { NULL: true } })).toBe(2 + 2);
    expect(itemSize({ bin: { B: Buffer.from('hello').toString('base64') } })).toBe(3 + 5); // raw bytes, not base64
    expect(itemSize({ l: { L: [{ S: 'ab' }, { S: 'c' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(itemSize({ m: { M: { k: { S: 'v' } } } })).toBe(1 + 3 + (1 + 1 + 1));
    expect(itemSize({ s: { S: 'é' } })).toBe(1 + 2); // UTF-8 bytes
  });
});

describe('request units', () => {
  const big = { id: { S: 'x'.repeat(5000) } };
  it('reads: 4 KB units, half for an eventually consistent read, the minimum for nothing found', () => {
    expect(capacityOf('GetItem', { ConsistentRead: true }, { Item: { id: { S: 'a' } } })).toEqual({
      readRequestUnits: 1,
      writeRequestUnits: 0,
    });
    expect(capacityOf('GetItem', {}, { Item: big })).toEqual({ readRequestUnits: 1, writeRequestUnits: 0 }); // 2 units × 0.5
    expect(capacityOf('GetItem', { ConsistentRead: true }, {})).toEqual({ readRequestUnits: 1, writeRequestUnits: 0 });
    // A Query sums the items before rounding: three 2 KB items are 6 KB, two units.
    const twoKb = { id: { S: 'y'.repeat(2046) } };
    expect(capacityOf('Query', { ConsistentRead: true }, { Items: [twoKb, twoKb, twoKb] })).toEqual({
      readRequestUnits: 2,
      writeRequestUnits: 0,
    });
  });
  it('writes: 1 KB units, and each global secondary index the item lands in', () => {
    expect(capacityOf('PutItem', { TableName: 'support-desk-reset-sessions', Item: big }, {})).toEqual({
      readRequestUnits: 0,
      writeRequestUnits: 5,
    });
    const record = { employeeId: { S: '1234567' }, seq: { N: '3' }, day: { S: '2026-11-26' }, at: { S: '2026-11-26T09:00:00Z' } };
    expect(capacityOf('PutItem', { TableName: 'support-desk-audit', Item: record }, {})).toEqual({
      readRequestUnits: 0,
      writeRequestUnits: 2,
    });
    expect(capacityOf('UpdateItem', { Key: { counterKey: { S: 'k' } }, ExpressionAttributeValues: { ':one': { N: '1' } } }, {})).toEqual({
      readRequestUnits: 0,
      writeRequestUnits: 1,
    });
    expect(capacityOf('DescribeTable', {}, {})).toEqual({ readRequestUnits: 0, writeRequestUnits: 0 });
  });
});
