/**
 * State machine definitions through the AWS Toolkit's ASL language service
 * (`amazon-states-language-service`, what the Step Functions editor in VS Code runs): the ASL schema,
 * state transitions, fields per state type, JSONPath and intrinsic syntax. Plus what it does not look
 * into (seen in ../docs and the review): values inside arrays in `Parameters`, and the arguments of
 * intrinsic functions (`States.Hash`'s algorithm, `States.Format`'s holes against its arguments).
 */
import { getLanguageService } from 'amazon-states-language-service';
import { TextDocument } from 'vscode-languageserver-textdocument';

export interface AslFinding {
  path: string;
  message: string;
}

const service = getLanguageService({});

export async function languageServiceDiagnostics(definition: string): Promise<AslFinding[]> {
  const document = TextDocument.create('file:///definition.asl.json', 'json', 1, definition);
  const json = service.parseJSONDocument(document);
  const diagnostics = await service.doValidation(document, json);
  return diagnostics.map((d) => ({
    path: `line ${d.range.start.line + 1}`,
    message: typeof d.message === 'string' ? d.message : d.message.value,
  }));
}

const HASH_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
const JSON_PATH = /^\$\$?(\.[A-Za-z0-9_]+|\[\d+\]|\['[^']+'\])*$/;

/** Every `.$` value anywhere (arrays included): a JSONPath or an intrinsic with valid arguments. */
export function deepDiagnostics(definition: unknown): AslFinding[] {
  const findings: AslFinding[] = [];
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) walk(v, `${path}[${i}]`);
    } else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key.endsWith('.$') && typeof value === 'string') findings.push(...checkDynamicValue(value, `${path}.${key}`));
        walk(value, `${path}.${key}`);
      }
    }
  };
  walk(definition, '$');
  return findings;
}

function checkDynamicValue(value: string, path: string): AslFinding[] {
  const v = value.trim();
  if (v.startsWith('States.')) {
    const findings: AslFinding[] = [];
    for (const hash of v.matchAll(/States\.Hash\(.*,\s*'([^']*)'\s*\)/g))
      if (!HASH_ALGORITHMS.includes(hash[1]!))
        findings.push({ path, message: `States.Hash algorithm ${hash[1]} is not one of ${HASH_ALGORITHMS.join(', ')}` });
    for (const format of v.matchAll(/States\.Format\('((?:[^'\\]|\\.)*)'((?:,[^()]*)*)\)/g)) {
      const holes = (format[1]!.match(/\{\}/g) ?? []).length;
      const args = format[2]!.split(',').filter((a) => a.trim() !== '').length;
      if (holes !== args) findings.push({ path, message: `States.Format has ${holes} placeholders and ${args} arguments` });
    }
    return findings;
  }
  return JSON_PATH.test(v) ? [] : [{ path, message: `"${value}" is neither a JSONPath nor an intrinsic function` }];
}
