/**
 * The XML of the S3 REST API, both ways: documents the twin's S3 endpoint answers with (namespace
 * `http://s3.amazonaws.com/doc/2006-03-01/`, as S3 sends them), and a strict little reader for the
 * few request bodies it accepts (CreateBucketConfiguration, ObjectLockConfiguration, Retention).
 * Written by hand: those bodies are three small element trees, and a malformed one must be S3's
 * MalformedXML, never a parser's stack trace. No DTDs, no entities beyond XML's five and character
 * references, no CDATA: S3 request bodies use none of them, and refusing them is the safe side.
 */
import { S3Error } from './s3-error';

export const S3_XML_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An element to write: children in order; a string or number is the text content. */
export type XmlNode = { [name: string]: XmlValue } | XmlNode[];
export type XmlValue = string | number | boolean | XmlNode | undefined;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function write(value: XmlValue): string {
  if (value === undefined) return '';
  if (typeof value !== 'object') return escapeXml(String(value));
  if (Array.isArray(value)) return value.map(write).join('');
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => `<${name}>${write(v)}</${name}>`)
    .join('');
}

/** `<?xml …?><root xmlns="…">…</root>`; members whose value is undefined are left out. */
export function xmlDocument(root: string, content: XmlNode, options: { namespace?: boolean } = {}): string {
  const ns = options.namespace === false ? '' : ` xmlns="${S3_XML_NAMESPACE}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${write(content)}</${root}>`;
}

/** A parsed element: its local name (prefix dropped), child elements and text. */
export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function malformed(): S3Error {
  return new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

function decodeText(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (_match, ref: string | undefined) => {
    if (!ref) throw malformed();
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    const entity = ENTITIES[ref];
    if (entity === undefined) throw malformed();
    return entity;
  });
}

/** Parses a request body; anything not well-formed is MalformedXML (400). */
export function parseXml(body: string): XmlElement {
  try {
    return parse(body);
  } catch (error) {
    // A character reference out of Unicode's range, for one.
    if (error instanceof S3Error) throw error;
    throw malformed();
  }
}

function parse(body: string): XmlElement {
  let at = 0;
  const skipSpace = () => {
    while (at < body.length && /\s/.test(body[at]!)) at += 1;
  };
  skipSpace();
  if (body.startsWith('<?xml', at)) {
    const end = body.indexOf('?>', at);
    if (end < 0) throw malformed();
    at = end + 2;
  }
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(
      body.slice(at),
    );
    if (!open) throw malformed();
    at += open[0].length;
    const qualified = open[1]!;
    const node: XmlElement = { name: qualified.split(':').pop()!, children: [], text: '' };
    if (open[3]) return node;
    for (;;) {
      const lt = body.indexOf('<', at);
      if (lt < 0) throw malformed();
      node.text += decodeText(body.slice(at, lt));
      at = lt;
      if (body.startsWith('</', at)) {
        const close = /^<\/([^\s>]+)\s*>/.exec(body.slice(at));
        if (!close || close[1] !== qualified) throw malformed();
        at += close[0].length;
        return node;
      }
      if (body.startsWith('<!--', at)) {
        const end = body.indexOf('-->', at);
        if (end < 0) throw malformed();
        at = end + 3;
        continue;
      }
      if (body.startsWith('<!', at) || body.startsWith('<?', at)) throw malformed();
      node.children.push(element());
    }
  };
  const root = element();
  skipSpace();
  if (at !== body.length) throw malformed();
  return root;
}

/** The one child element named `name`, if any (two of them is MalformedXML). */
export function child(parent: XmlElement, name: string): XmlElement | undefined {
  const found = parent.children.filter((c) => c.name === name);
  if (found.length > 1) throw malformed();
  return found[0];
}

/** Fails with MalformedXML unless every child element is one of `allowed`. */
export function onlyChildren(parent: XmlElement, allowed: readonly string[]): void {
  if (parent.children.some((c) => !allowed.includes(c.name))) throw malformed();
}

export { malformed as malformedXml };
