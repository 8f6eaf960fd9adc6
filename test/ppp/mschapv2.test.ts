import { describe, expect, it } from 'vitest';
import { md4 } from '../../src/crypto/md4.js';
import {
  challengeHash,
  challengeResponse,
  generateAuthenticatorResponse,
  generateNtResponse,
  mschapUserName,
  ntPasswordHash,
} from '../../src/ppp/mschapv2.js';

const h = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!, (x) => parseInt(x, 16));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

// RFC 2759 §9.2 "Hash and Response" example, every intermediate value as printed.
const V = {
  userName: 'User',
  password: 'clientPass',
  authenticatorChallenge: h('5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28'),
  peerChallenge: h('21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E'),
  challenge: 'd02e4386bce91226',
  ntResponse: '82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df',
  authenticatorResponse: 'S=407A5589115FD0D6209F510FE9C04566932CDA56',
  passwordHash: '44ebba8d5312b8d611474411f56989ae',
  passwordHashHash: '41c00c584bd2d91c4017a2a12fa59f3f',
};

describe('MS-CHAPv2: RFC 2759 §9.2 example', () => {
  it('NtPasswordHash', () => expect(hex(ntPasswordHash(V.password))).toBe(V.passwordHash));
  it('PasswordHashHash (MD4 of the hash)', () => expect(hex(md4(ntPasswordHash(V.password)))).toBe(V.passwordHashHash));
  it('ChallengeHash', () => expect(hex(challengeHash(V.peerChallenge, V.authenticatorChallenge, V.userName))).toBe(V.challenge));
  it('ChallengeResponse', () => expect(hex(challengeResponse(h(V.challenge), h(V.passwordHash)))).toBe(V.ntResponse));
  it('GenerateNTResponse end to end', () => {
    expect(hex(generateNtResponse(V.authenticatorChallenge, V.peerChallenge, V.userName, V.password))).toBe(V.ntResponse);
  });
  it('GenerateAuthenticatorResponse end to end', () => {
    expect(generateAuthenticatorResponse(V.password, h(V.ntResponse), V.peerChallenge, V.authenticatorChallenge, V.userName)).toBe(V.authenticatorResponse);
  });
  it('a domain prefix is not hashed (§8.2)', () => {
    expect(mschapUserName('DOMAIN\\User')).toBe('User');
    expect(hex(challengeHash(V.peerChallenge, V.authenticatorChallenge, 'DOMAIN\\User'))).toBe(V.challenge);
  });
  it('a wrong password gives a different NT-Response', () => {
    expect(hex(generateNtResponse(V.authenticatorChallenge, V.peerChallenge, V.userName, 'clientPasS'))).not.toBe(V.ntResponse);
  });
});
