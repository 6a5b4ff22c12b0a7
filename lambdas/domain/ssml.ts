/** SSML helpers (security rule 6 (docs/design.md): every dynamic text inserted into SSML is XML-escaped). */

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export function decodeXmlEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|apos|quot);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[e]!);
}

/** Plain text of an SSML document: tags dropped, entities decoded (what a caller "hears" in text form). */
export function ssmlToText(ssml: string): string {
  return decodeXmlEntities(ssml.replace(/<break[^>]*\/>/g, ' ').replace(/<[^>]+>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}
