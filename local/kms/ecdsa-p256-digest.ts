/**
 * ECDSA on NIST P-256 over a digest the caller has already hashed: what KMS does for
 * `MessageType: DIGEST` (https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html).
 * node:crypto always hashes what it signs (`sign(null, data, ecKey)` still applies SHA-256), so a bare
 * digest needs the curve arithmetic itself: this file, in BigInt (Jacobian coordinates, a = -3).
 * Signatures are DER `ECDSA-Sig-Value` (RFC 3279 §2.2.3), the encoding KMS returns for ECDSA_SHA_256,
 * so one made over SHA-256(message) verifies with node:crypto's `verify('sha256', message, key, sig)`.
 * Not constant-time: it only ever holds the key of a local twin.
 */
import { randomBytes } from 'node:crypto';

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const G: Affine = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

/** The length of a digest ECDSA_SHA_256 signs: the SHA-256 output. */
export const P256_DIGEST_BYTES = 32;

export interface Affine {
  x: bigint;
  y: bigint;
}

interface Jacobian {
  x: bigint;
  y: bigint;
  z: bigint;
}

const INFINITY: Jacobian = { x: 1n, y: 1n, z: 0n };

const mod = (a: bigint, m: bigint) => {
  const r = a % m;
  return r >= 0n ? r : r + m;
};

function invert(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('not invertible');
  return mod(oldS, m);
}

function double(p: Jacobian): Jacobian {
  if (p.z === 0n || p.y === 0n) return INFINITY;
  const delta = mod(p.z * p.z, P);
  const gamma = mod(p.y * p.y, P);
  const beta = mod(p.x * gamma, P);
  const alpha = mod(3n * (p.x - delta) * (p.x + delta), P);
  const x = mod(alpha * alpha - 8n * beta, P);
  const z = mod((p.y + p.z) * (p.y + p.z) - gamma - delta, P);
  const y = mod(alpha * (4n * beta - x) - 8n * gamma * gamma, P);
  return { x, y, z };
}

function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p.z === 0n) return q;
  if (q.z === 0n) return p;
  const z1z1 = mod(p.z * p.z, P);
  const z2z2 = mod(q.z * q.z, P);
  const u1 = mod(p.x * z2z2, P);
  const u2 = mod(q.x * z1z1, P);
  const s1 = mod(p.y * q.z * z2z2, P);
  const s2 = mod(q.y * p.z * z1z1, P);
  const h = mod(u2 - u1, P);
  const r = mod(2n * (s2 - s1), P);
  if (h === 0n) return r === 0n ? double(p) : INFINITY;
  const i = mod(4n * h * h, P);
  const j = mod(h * i, P);
  const v = mod(u1 * i, P);
  const x = mod(r * r - j - 2n * v, P);
  const y = mod(r * (v - x) - 2n * s1 * j, P);
  const z = mod(((p.z + q.z) * (p.z + q.z) - z1z1 - z2z2) * h, P);
  return { x, y, z };
}

function multiply(k: bigint, point: Affine): Jacobian {
  let result = INFINITY;
  let addend: Jacobian = { ...point, z: 1n };
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = add(result, addend);
    addend = double(addend);
  }
  return result;
}

function toAffine(p: Jacobian): Affine | undefined {
  if (p.z === 0n) return undefined;
  const zInv = invert(p.z, P);
  const zInv2 = mod(zInv * zInv, P);
  return { x: mod(p.x * zInv2, P), y: mod(p.y * zInv2 * zInv, P) };
}

function isOnCurve({ x, y }: Affine): boolean {
  if (x < 0n || x >= P || y < 0n || y >= P) return false;
  return mod(y * y - (x * x * x - 3n * x + B), P) === 0n;
}

const toBigInt = (bytes: Uint8Array) => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`));

/** A uniformly random scalar in [1, n-1]. */
function randomScalar(): bigint {
  for (;;) {
    const k = toBigInt(randomBytes(32));
    if (k > 0n && k < N) return k;
  }
}

/** Signs a 32-byte digest with the private scalar `d`; the signature is DER. */
export function signDigest(digest: Uint8Array, d: bigint): Buffer {
  if (digest.length !== P256_DIGEST_BYTES) throw new Error(`a P-256 digest is ${P256_DIGEST_BYTES} bytes`);
  const e = toBigInt(digest);
  for (;;) {
    const k = randomScalar();
    const point = toAffine(multiply(k, G));
    if (!point) continue;
    const r = mod(point.x, N);
    if (r === 0n) continue;
    const s = mod(invert(k, N) * (e + r * d), N);
    if (s === 0n) continue;
    return derEncodeSignature(r, s);
  }
}

/** Whether `signature` (DER) is a valid signature of the 32-byte `digest` under the public point `q`. */
export function verifyDigest(digest: Uint8Array, q: Affine, signature: Uint8Array): boolean {
  if (digest.length !== P256_DIGEST_BYTES || !isOnCurve(q)) return false;
  const decoded = derDecodeSignature(signature);
  if (!decoded) return false;
  const { r, s } = decoded;
  if (r <= 0n || r >= N || s <= 0n || s >= N) return false;
  const w = invert(s, N);
  const u1 = mod(toBigInt(digest) * w, N);
  const u2 = mod(r * w, N);
  const point = toAffine(add(multiply(u1, G), multiply(u2, q)));
  return point !== undefined && mod(point.x, N) === r;
}

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  // A leading 1 bit would make the INTEGER negative.
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

export function derEncodeSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** The (r, s) of a strict DER `SEQUENCE { INTEGER r, INTEGER s }`; undefined for anything else. */
export function derDecodeSignature(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  const bytes = Buffer.from(der);
  // Short-form lengths only: a P-256 signature is at most 72 bytes.
  if (bytes.length < 8 || bytes[0] !== 0x30 || bytes[1] !== bytes.length - 2) return undefined;
  const integers: bigint[] = [];
  let at = 2;
  for (let i = 0; i < 2; i += 1) {
    if (bytes[at] !== 0x02) return undefined;
    const length = bytes[at + 1]!;
    const value = bytes.subarray(at + 2, at + 2 + length);
    if (length === 0 || length > 33 || value.length !== length) return undefined;
    // DER: no negative integers, no superfluous leading zero.
    if (value[0]! & 0x80) return undefined;
    if (value[0] === 0 && (length === 1 || !(value[1]! & 0x80))) return undefined;
    integers.push(toBigInt(value));
    at += 2 + length;
  }
  if (at !== bytes.length) return undefined;
  return { r: integers[0]!, s: integers[1]! };
}

/** Decodes a base64url JWK coordinate or scalar. */
export function jwkNumber(value: string | undefined): bigint {
  if (!value) throw new Error('missing JWK member');
  return toBigInt(Buffer.from(value, 'base64url'));
}
