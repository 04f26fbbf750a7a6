// Short-lived HS256 access tokens. The key is derived from CCR_SECRET_KEY (never used raw) and
// verification pins the algorithm, issuer and audience, so alg:none or a token minted for
// another purpose is refused.
import { hkdfSync, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { AuthUser } from './auth-user';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const AUDIENCE = 'ccr-api';
const ALGORITHM = 'HS256';

export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secretKey: string,
    private readonly issuer: string,
  ) {
    this.key = new Uint8Array(hkdfSync('sha256', secretKey, 'ccr', 'access-token-v1', 32));
  }

  sign(user: AuthUser, now = Date.now()): Promise<string> {
    const issuedAt = Math.floor(now / 1000);
    return new SignJWT({ email: user.email, role: user.role })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(this.issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SECONDS)
      .setJti(randomUUID())
      .sign(this.key);
  }

  /** The user id the token was issued to; rejects on any defect. */
  async verify(token: string): Promise<string> {
    const { payload } = await jwtVerify(token, this.key, {
      algorithms: [ALGORITHM],
      issuer: this.issuer,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new Error('token has no subject');
    }
    return payload.sub;
  }
}
