/**
 * What production keeps of a call, as the twin retains it: contact records (CTRs) and the flow logs
 * written while logging was on. Read from the data folder. A contact the agent handed back to a flow
 * (its disconnect flow) is written again when that flow ends: its latest record is the contact's record,
 * as Connect's contact record holds a contact's last state.
 */
import { RETAINED_FILES, type DataFolder } from '../retention/data-folder';
import { readJsonLines } from '../retention/jsonl-file';
import { HttpError, type ApiRouter } from './api-router';

interface ContactRecord {
  ContactId: string;
  InitiationTimestamp: string;
  [key: string]: unknown;
}

export function registerContactRecordsApi(router: ApiRouter, data: DataFolder): void {
  router.on('GET', '/api/contact-records', async (req) => {
    await data.flush();
    const limit = Math.min(500, Math.max(1, Number(req.query.get('limit') ?? 50) || 50));
    const seen = new Set<string>();
    const records = readJsonLines<ContactRecord>(data.path(RETAINED_FILES.contactRecords))
      .reverse()
      .filter((r) => !seen.has(r.ContactId) && seen.add(r.ContactId))
      .slice(0, limit);
    return { body: { records } };
  });

  router.on('GET', '/api/contact-records/:contactId', async (req) => {
    await data.flush();
    const contactId = req.params.contactId!;
    const record = readJsonLines<ContactRecord>(data.path(RETAINED_FILES.contactRecords)).findLast((r) => r.ContactId === contactId);
    const flowLogs = readJsonLines<{ ContactId: string }>(data.path(RETAINED_FILES.flowLogs)).filter((l) => l.ContactId === contactId);
    if (!record && flowLogs.length === 0)
      throw new HttpError(404, `no record of contact ${contactId} (records are written when a call ends)`);
    return { body: { record: record ?? null, flowLogs } };
  });
}
