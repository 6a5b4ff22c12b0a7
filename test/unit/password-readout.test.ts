import fc from 'fast-check';
import { passwordFromReadout, passwordGroupsFromReadout, passwordReadoutSsml } from '../../lambdas/domain/password-readout';
import { generateTemporaryPassword } from '../../lambdas/domain/temporary-password';
import { escapeXml, ssmlToText } from '../../lambdas/domain/ssml';

describe('password readout SSML', () => {
  it('groups concatenate to the password, with phonetic hints and case', () => {
    const ssml = passwordReadoutSsml('aB3dEf7hJk9m', 'en-US');
    expect(ssml).toMatch(/^<speak>.*<\/speak>$/);
    expect(passwordFromReadout(ssml)).toBe('aB3dEf7hJk9m');
    // The groups as the console shows them, in order; a prompt that is not a readout has none.
    expect(passwordGroupsFromReadout(ssml)).toEqual(['aB3d', 'Ef7h', 'Jk9m']);
    expect(passwordGroupsFromReadout('<speak>Sorry.</speak>')).toEqual([]);
    expect(ssml).toContain('<say-as interpret-as="characters">aB3d</say-as>');
    expect(ssml).toContain('capital B as in Bravo');
    expect(ssml).toContain('lowercase a as in Alpha');
    expect(ssml).toContain('number 3');
  });

  it('speaks Spanish for es-US', () => {
    const text = ssmlToText(passwordReadoutSsml('aB3dEf7hJk9m', 'es-US'));
    expect(text).toContain('Su contraseña temporal es');
    expect(text).toContain('mayúscula B como en Bravo');
  });

  it('property: any generated password survives the readout', () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 40 }), (n) => {
        const password = generateTemporaryPassword(n);
        expect(passwordFromReadout(passwordReadoutSsml(password, 'en-US'))).toBe(password);
      }),
    );
  });

  it('escapes every dynamic text inserted into SSML (security rule 6)', () => {
    const ssml = passwordReadoutSsml(`<&>"'abcdefgh`, 'en-US');
    expect(ssml).not.toMatch(/<&>/);
    expect(ssml).toContain('&lt;&amp;&gt;&quot;');
    expect(passwordFromReadout(ssml)).toBe(`<&>"'abcdefgh`);
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });
});
