import { createHash, sign } from 'node:crypto';
import { Signer } from '@signpdf/utils';
import forge from 'node-forge';
import { openSealCertificate, type SealCertificate } from './seal-certificate';

/**
 * A detached CAdES signature (CMS SignedData) for the PAdES subfilter ETSI.CAdES.detached.
 *
 * @signpdf/signer-p12 builds the older adbe.pkcs7.detached form: it puts a signing-time
 * attribute in and leaves the ESS signing-certificate-v2 attribute out, and node-forge's
 * PKCS#7 writer cannot add that attribute. PAdES baseline signatures need the reverse
 * (ETSI EN 319 142-1: signing-certificate-v2 present, no signing-time; the time is the /M
 * entry of the signature dictionary). So the CMS is assembled here from forge's ASN.1
 * building blocks and signed with Node's crypto.
 */
export class CadesSigner extends Signer {
  constructor(private readonly seal: SealCertificate) {
    super();
  }

  override async sign(signedBytes: Buffer): Promise<Buffer> {
    const { privateKey, certificate, chain } = openSealCertificate(this.seal);
    const certificateDer = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), 'binary');
    const { issuer, serialNumber } = issuerAndSerial(certificate);

    const signedAttributes = sortedForDer([
      attribute(OID.contentType, oid(OID.data)),
      attribute(OID.messageDigest, octets(sha256(signedBytes))),
      attribute(
        OID.signingCertificateV2,
        sequence([
          // SigningCertificateV2.certs: one ESSCertIDv2, hash algorithm left at its SHA-256 default.
          sequence([
            sequence([octets(sha256(certificateDer)), sequence([sequence([explicit(4, issuer)]), serialNumber])]),
          ]),
        ]),
      ),
    ]);
    // The signature covers the attributes encoded as a SET, not as the [0] they are stored in.
    const toSign = der(set(signedAttributes));
    const signature = sign('sha256', toSign, privateKey);

    const signerInfo = sequence([
      integer(1),
      sequence([issuer, serialNumber]),
      algorithm(OID.sha256),
      implicitSet(0, signedAttributes),
      algorithm(OID.rsaEncryption),
      octets(signature),
    ]);
    const signedData = sequence([
      integer(1),
      set([algorithm(OID.sha256)]),
      sequence([oid(OID.data)]), // detached: no content inside
      implicitSet(
        0,
        chain.map((cert) => forge.pki.certificateToAsn1(cert)),
      ),
      set([signerInfo]),
    ]);
    return der(sequence([oid(OID.signedData), explicit(0, signedData)]));
  }
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

type Node = forge.asn1.Asn1;
const { asn1 } = forge;

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function der(node: Node): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

function sequence(items: Node[]): Node {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
}

function set(items: Node[]): Node {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
}

function implicitSet(tag: number, items: Node[]): Node {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, items);
}

function explicit(tag: number, item: Node): Node {
  return asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, [item]);
}

function oid(value: string): Node {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
}

function octets(bytes: Buffer): Node {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString('binary'));
}

function integer(value: number): Node {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(value).getBytes());
}

function algorithm(identifier: string): Node {
  return sequence([oid(identifier), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
}

function attribute(type: string, value: Node): Node {
  return sequence([oid(type), set([value])]);
}

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
