import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** What an RFC 3161 time-stamp authority vouched for. */
export interface TimeStamp {
  /** The TimeStampToken (a CMS ContentInfo) as DER, ready to go into a signature's unsigned attributes. */
  readonly token: Buffer;
  /** The time the authority asserts (TSTInfo genTime). */
  readonly time: Date;
}

/**
 * No trusted time could be had, so nothing may be sealed: a seal without its time-stamp would
 * claim less than the deployment promises. `reason` says what went wrong, without the address.
 */
export class TimeStampUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`No trusted time for the seal: ${reason}`);
    this.name = 'TimeStampUnavailableError';
  }
}

const SHA256 = '2.16.840.1.101.3.4.2.1';
const ID_CT_TST_INFO = '1.2.840.113549.1.9.16.1.4';
/** A TSA that takes longer than this is treated as unreachable: the signer is waiting on the page. */
const TSA_TIMEOUT_MS = 10_000;

type WebCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];
/** Node's WebCrypto, which pkijs verifies with; its typings name the browser's type. */
const crypto = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as WebCrypto });

/**
 * Asks the TSA to time-stamp `data` (for a PAdES seal: the signature value). The request carries
 * a fresh nonce and asks for the TSA's certificate; the answer is accepted only when it was granted,
 * its token is signed by the TSA, and it covers exactly our digest with our nonce.
 */
export async function requestTimeStamp(tsaUrl: string, data: Buffer): Promise<TimeStamp> {
  const nonce = randomBytes(8);
  // A positive INTEGER whose DER has no leading zero byte: a TSA rejects a non-minimal encoding as malformed.
  nonce[0] = (nonce[0]! & 0x7f) | 0x40;
  const query = timeStampQuery(createHash('sha256').update(data).digest(), nonce);
  return await checkedTimeStamp(await postQuery(tsaUrl, query), data, nonce);
}

function timeStampQuery(digest: Buffer, nonce: Buffer): Buffer {
  const query = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: digest }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonce }),
    certReq: true,
  });
  return Buffer.from(query.toSchema().toBER());
}

async function postQuery(tsaUrl: string, query: Buffer): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(tsaUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query' },
      body: query,
      signal: AbortSignal.timeout(TSA_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new TimeStampUnavailableError(`the time-stamp authority could not be reached (${cause})`);
  }
  if (!response.ok) {
    throw new TimeStampUnavailableError(`the time-stamp authority answered HTTP ${response.status}`);
  }
  return Buffer.from(await response.arrayBuffer());
}

async function checkedTimeStamp(der: Buffer, data: Buffer, nonce: Buffer): Promise<TimeStamp> {
  const digest = createHash('sha256').update(data).digest();
  const answer = parse(der, (schema) => new pkijs.TimeStampResp({ schema }));
  const status = answer.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    throw new TimeStampUnavailableError(`the time-stamp authority refused the request (PKIStatus ${status})`);
  }
  const token = answer.timeStampToken;
  if (!token || token.contentType !== pkijs.ContentInfo.SIGNED_DATA) {
    throw new TimeStampUnavailableError('the time-stamp authority granted the request but sent no token');
  }
  const signedData = new pkijs.SignedData({ schema: token.content });
  const content = signedData.encapContentInfo;
  if (content.eContentType !== ID_CT_TST_INFO || !content.eContent) {
    throw new TimeStampUnavailableError('the time-stamp token holds no TSTInfo');
  }
  const info = parse(Buffer.from(content.eContent.getValue()), (schema) => new pkijs.TSTInfo({ schema }));
  const imprint = Buffer.from(info.messageImprint.hashedMessage.getValue());
  if (info.messageImprint.hashAlgorithm.algorithmId !== SHA256 || !imprint.equals(digest)) {
    throw new TimeStampUnavailableError('the time-stamp token is for other data than the signature');
  }
  if (!info.nonce || !Buffer.from(info.nonce.valueBlock.valueHexView).equals(nonce)) {
    throw new TimeStampUnavailableError('the time-stamp token does not carry the nonce of the request');
  }
  if (!(await signedByTheTsa(signedData, data))) {
    throw new TimeStampUnavailableError('the time-stamp token is not signed by the certificate it carries');
  }
  return { token: Buffer.from(token.toSchema().toBER()), time: info.genTime };
}

/**
 * The token's own signature (pkijs checks the imprint against `data` again on the way). Whether the
 * TSA is to be trusted is for the validator to decide.
 */
async function signedByTheTsa(signedData: pkijs.SignedData, data: Buffer): Promise<boolean> {
  try {
    const signed = new Uint8Array(data).buffer;
    return await signedData.verify({ signer: 0, checkChain: false, data: signed }, crypto);
  } catch {
    return false;
  }
}

function parse<T>(der: Buffer, build: (schema: asn1js.AsnType) => T): T {
  const { offset, result } = asn1js.fromBER(new Uint8Array(der));
  if (offset === -1) throw new TimeStampUnavailableError('the time-stamp authority sent something that is not DER');
  try {
    return build(result);
  } catch {
    throw new TimeStampUnavailableError('the time-stamp authority sent a malformed answer');
  }
}
