/**
 * Which verified SES identity lets a product send from an address: SES sends only from an address it
 * has verified, or one at a verified domain or any of its subdomains
 * (https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html: "when you verify a domain
 * identity, you can send email from any subdomain or email address of the verified domain"). The
 * deployment configuration is checked with it (infra/deployment-config.ts) and the twin's SES refuses
 * what SES would (local/ses/ses-emulator.ts). Plain data, no AWS import.
 */

/** The address of a From header value: `Support Desk <no-reply@example.com>` → `no-reply@example.com`. */
export function addressOf(from: string): string {
  const angled = /<([^<>]+)>\s*$/.exec(from);
  return (angled ? angled[1]! : from).trim();
}

/** Whether the identity (a domain or an e-mail address) covers the address. Domains compare without case. */
export function identityCovers(identity: string, address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at < 1) return false;
  if (identity.includes('@')) return identity.toLowerCase() === address.toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  const verified = identity.toLowerCase();
  return domain === verified || domain.endsWith(`.${verified}`);
}
