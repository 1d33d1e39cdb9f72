// JWT verification with jose. AWS (Cognito JWKS) and local (dev login's key) share this code path:
// only the key resolver and the expected issuer differ.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import { AuthenticationError } from "../domain/errors.ts";
import { GROUPS_CLAIM, isGroup, type Principal } from "./principal.ts";

export interface VerifierOptions {
  /** Resolves the signing key by the token's `kid` (remote JWKS on AWS, local JWKS in the local stack). */
  keys: JWTVerifyGetKey;
  issuer: string;
  /** App client id: matched against `aud` (ID tokens) or `client_id` (Cognito access tokens). */
  clientId?: string;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.keys, { issuer: options.issuer, algorithms: ["RS256", "ES256"] }));
    } catch (err) {
      throw new AuthenticationError("invalid or expired token", { cause: err });
    }
    if (options.clientId !== undefined) {
      const aud = Array.isArray(payload.aud) ? payload.aud : payload.aud === undefined ? [] : [payload.aud];
      if (!aud.includes(options.clientId) && payload.client_id !== options.clientId) {
        throw new AuthenticationError("token issued for another client");
      }
    }
    return principalFromClaims(payload);
  };
}

export function principalFromClaims(payload: JWTPayload): Principal {
  const userId = [payload["cognito:username"], payload.username, payload.sub].find(
    (v): v is string => typeof v === "string" && v.length > 0,
  );
  if (userId === undefined) throw new AuthenticationError("token has no subject");
  const rawGroups = payload[GROUPS_CLAIM];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter(isGroup) : [];
  const name = typeof payload.name === "string" && payload.name.length > 0 ? payload.name : userId;
  return { userId, displayName: name, groups };
}

/** Cognito user pool: keys from its public JWKS endpoint (cached by jose). */
export function createCognitoVerifier(opts: { region: string; userPoolId: string; clientId: string }): TokenVerifier {
  const issuer = `https://cognito-idp.${opts.region}.amazonaws.com/${opts.userPoolId}`;
  return createTokenVerifier({
    keys: createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)),
    issuer,
    clientId: opts.clientId,
  });
}

/** Local: the dev login's public JWKS. */
export function createLocalVerifier(opts: { jwks: JSONWebKeySet; issuer: string; clientId?: string }): TokenVerifier {
  return createTokenVerifier({
    keys: createLocalJWKSet(opts.jwks),
    issuer: opts.issuer,
    ...(opts.clientId !== undefined ? { clientId: opts.clientId } : {}),
  });
}

/** "Bearer <jwt>" → the token, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  return m?.[1];
}
