/**
 * The spoken readout of a temporary password: the password in groups of characters, each group in
 * `<say-as interpret-as="characters">` (concatenated in order they give the password), then each
 * character again with its case and a phonetic hint ("capital K as in Kilo"). All text XML-escaped.
 */
import type { Locale } from './locale';
import { decodeXmlEntities, escapeXml } from './ssml';

const NATO: Record<string, string> = {
  a: 'Alpha',
  b: 'Bravo',
  c: 'Charlie',
  d: 'Delta',
  e: 'Echo',
  f: 'Foxtrot',
  g: 'Golf',
  h: 'Hotel',
  i: 'India',
  j: 'Juliett',
  k: 'Kilo',
  l: 'Lima',
  m: 'Mike',
  n: 'November',
  o: 'Oscar',
  p: 'Papa',
  q: 'Quebec',
  r: 'Romeo',
  s: 'Sierra',
  t: 'Tango',
  u: 'Uniform',
  v: 'Victor',
  w: 'Whiskey',
  x: 'X-ray',
  y: 'Yankee',
  z: 'Zulu',
};

const WORDS: Record<Locale, { intro: string; spelled: string; capital: string; lower: string; asIn: string; digit: string }> = {
  'en-US': {
    intro: 'Your temporary password is',
    spelled: 'Again, character by character:',
    capital: 'capital',
    lower: 'lowercase',
    asIn: 'as in',
    digit: 'number',
  },
  'es-US': {
    intro: 'Su contraseña temporal es',
    spelled: 'Otra vez, carácter por carácter:',
    capital: 'mayúscula',
    lower: 'minúscula',
    asIn: 'como en',
    digit: 'número',
  },
};

export const GROUP_SIZE = 4;

export function passwordReadoutSsml(password: string, locale: Locale): string {
  const words = WORDS[locale] ?? WORDS['en-US'];
  const groups: string[] = [];
  for (let i = 0; i < password.length; i += GROUP_SIZE) groups.push(password.slice(i, i + GROUP_SIZE));
  const grouped = groups.map((g) => `<say-as interpret-as="characters">${escapeXml(g)}</say-as>`).join('<break time="400ms"/>');
  const hints = [...password]
    .map((c) => {
      const lower = c.toLowerCase();
      if (NATO[lower]) return `${c === lower ? words.lower : words.capital} ${escapeXml(c)} ${words.asIn} ${NATO[lower]}`;
      return `${words.digit} ${escapeXml(c)}`;
    })
    .join(', <break time="300ms"/>');
  return `<speak>${escapeXml(words.intro)} <break time="300ms"/>${grouped}<break time="700ms"/>${escapeXml(words.spelled)} <prosody rate="slow">${hints}.</prosody></speak>`;
}

/** The password as the caller hears it in the groups (what tests and the softphone reassemble). */
export function passwordFromReadout(ssml: string): string {
  return passwordGroupsFromReadout(ssml).join('');
}

/** The groups a readout spells the password in, in order (none in SSML that is not a readout). */
export function passwordGroupsFromReadout(ssml: string): string[] {
  return [...ssml.matchAll(/<say-as interpret-as="characters">([^<]*)<\/say-as>/g)].map((m) => decodeXmlEntities(m[1]!));
}
