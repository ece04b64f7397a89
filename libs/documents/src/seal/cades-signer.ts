import { createHash, sign } from 'node:crypto';
import { Signer } from '@signpdf/utils';
import forge from 'node-forge';
import { openSealCertificate, type SealCertificate } from './seal-certificate';
import { requestTimeStamp, type TimeStamp } from './time-stamp';

/**
 * A detached CAdES signature (CMS SignedData) for PAdES (ETSI.CAdES.detached). PAdES baseline
 * wants signing-certificate-v2 and no signing-time (ETSI EN 319 142-1; the time is the /M entry),
 * the reverse of what @signpdf/signer-p12 and forge's PKCS#7 writer make, so the CMS is built here.
 *
 * With a time-stamp authority, the signature value is time-stamped and the token rides along as the
 * unsigned attribute signature-time-stamp (PAdES B-T).
 */
export class CadesSigner extends Signer {
  /** The time-stamp the last signature got from the TSA, if one was asked for. */
  timeStamp: TimeStamp | undefined;

  constructor(
    private readonly seal: SealCertificate,
    private readonly tsaUrl?: string,
  ) {
    super();
  }

  override async sign(signedBytes: Buffer): Promise<Buffer> {
    const { privateKey, certificate, chain } = openSealCertificate(this.seal);
    const certificateDer = der(forge.pki.certificateToAsn1(certificate));
    const { issuer, serialNumber } = issuerAndSerial(certificate);

    const signedAttributes = sortedForDer([
      attribute(OID.contentType, oid(OID.data)),
      attribute(OID.messageDigest, octets(sha256(signedBytes))),
      attribute(
        OID.signingCertificateV2,
        sequence([
          // SigningCertificateV2.certs: one ESSCertIDv2, hash algorithm left at its SHA-256 default.
          sequence([
            sequence([octets(sha256(certificateDer)), sequence([sequence([tagged(4, [issuer])]), serialNumber])]),
          ]),
        ]),
      ),
    ]);
    // The signature covers the attributes encoded as a SET, not as the [0] they are stored in.
    const toSign = der(set(signedAttributes));
    const signature = sign('sha256', toSign, privateKey);
    this.timeStamp = this.tsaUrl ? await requestTimeStamp(this.tsaUrl, signature) : undefined;

    const signerInfo = sequence([
      integer(1),
      sequence([issuer, serialNumber]),
      algorithm(OID.sha256),
      tagged(0, signedAttributes),
      algorithm(OID.rsaEncryption),
      octets(signature),
      ...(this.timeStamp ? [tagged(1, [attribute(OID.signatureTimeStampToken, fromDer(this.timeStamp.token))])] : []),
    ]);
    const certificates = chain.map((cert) => forge.pki.certificateToAsn1(cert));
    const signedData = sequence([
      integer(1),
      set([algorithm(OID.sha256)]),
      sequence([oid(OID.data)]), // detached: no content inside
      tagged(0, certificates),
      set([signerInfo]),
    ]);
    return der(sequence([oid(OID.signedData), tagged(0, [signedData])]));
  }
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

type Node = forge.asn1.Asn1;
const { asn1 } = forge;
const universal = (type: number, constructed: boolean, value: string | Node[]): Node =>
  asn1.create(asn1.Class.UNIVERSAL, type, constructed, value);
const tagged = (tag: number, items: Node[]): Node => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, items);
const sequence = (items: Node[]) => universal(asn1.Type.SEQUENCE, true, items);
const set = (items: Node[]) => universal(asn1.Type.SET, true, items);
const oid = (value: string) => universal(asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
const octets = (bytes: Buffer) => universal(asn1.Type.OCTETSTRING, false, bytes.toString('binary'));
const integer = (value: number) => universal(asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes());
const algorithm = (identifier: string) => sequence([oid(identifier), universal(asn1.Type.NULL, false, '')]);
const attribute = (type: string, value: Node) => sequence([oid(type), set([value])]);
const der = (node: Node) => Buffer.from(asn1.toDer(node).getBytes(), 'binary');
const fromDer = (bytes: Buffer) => asn1.fromDer(bytes.toString('binary'));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

/** DER orders the members of a SET OF by their encoding. */
function sortedForDer(items: Node[]): Node[] {
  return items
    .map((item) => ({ item, bytes: der(item) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ item }) => item);
}

/**
 * The issuer name and serial number exactly as encoded in the certificate: verifiers find
 * the signer's certificate by comparing these bytes.
 */
function issuerAndSerial(certificate: forge.pki.Certificate): { issuer: Node; serialNumber: Node } {
  const tbs = (forge.pki.certificateToAsn1(certificate).value as Node[])[0]!;
  const fields = tbs.value as Node[];
  const hasVersion = fields[0]!.tagClass === asn1.Class.CONTEXT_SPECIFIC;
  const serialNumber = fields[hasVersion ? 1 : 0]!;
  const issuer = fields[hasVersion ? 3 : 2]!;
  return { issuer, serialNumber };
}
