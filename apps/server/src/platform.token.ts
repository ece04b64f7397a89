/** Injection tokens for the objects built before Nest starts. */
export const PLATFORM = Symbol('Platform');
export const SERVER_CONFIG = Symbol('ServerConfig');
export const SIGNING_SECRET = Symbol('SigningSecret');
export const SEAL_CERTIFICATE = Symbol('SealCertificate');
