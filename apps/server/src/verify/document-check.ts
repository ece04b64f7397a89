import { Inject, Injectable } from '@nestjs/common';
import { formatUtcTimestamp, sha256Hex } from '@scope-ledger/documents';
import { orderNumber } from '@scope-ledger/domain';
import { Platform } from '@scope-ledger/platform';
import { ChangeOrderDocumentKind, ChangeOrderDocumentRow, findChangeOrderDocuments } from '@scope-ledger/projections';
import { ProblemException } from '../http/problem-details.filter';
import { PLATFORM } from '../platform.token';
import { ProjectReads } from '../projects/project-reads';
import { earlierVersionLengths, looksLikePdf, prefixHashes } from './pdf-prefixes';

/** What anyone holding the PDF may learn: only what the document itself shows, and hashes. */
export type DocumentCheckResult =
  | { recognised: false; summary: string; sha256: string; bytes: number }
  | {
      recognised: true;
      summary: string;
      sha256: string;
      bytes: number;
      /** Which recorded document the file is, or starts with. */
      kind: ChangeOrderDocumentKind;
      /** Byte for byte that document. */
      intact: boolean;
      /** Bytes after the recorded document's end: 0 when intact. */
      appendedBytes: number;
      recordedSha256: string;
      changeOrder: { number: string; revision: number; project: string; client: string };
      signature?: { signerName: string; signedAt: string };
    };

/** Tells which change order a PDF is, whether it is the issued or the sealed copy, and whether it was added to. */
@Injectable()
export class DocumentCheck {
  constructor(
    private readonly reads: ProjectReads,
    @Inject(PLATFORM) private readonly platform: Platform,
  ) {}

  async check(file: Buffer): Promise<DocumentCheckResult> {
    if (!looksLikePdf(file)) {
      const message = 'file is not a PDF (it does not begin with %PDF-)';
      throw new ProblemException(400, 'Invalid request', message, [{ field: 'file', message }]);
    }
    const sha256 = sha256Hex(file);
    await this.reads.catchUp();
    const whole = await this.find([sha256]);
    const match = whole[0] ? { row: whole[0], length: file.length } : await this.earlierVersion(file);
    const described = match && (await this.describe(match.row, file.length - match.length));
    if (!described) {
      const summary =
        'This PDF is not recognised: it is neither a change order as issued nor one as signed and sealed here. ' +
        'It may come from elsewhere, or have been changed.';
      return { recognised: false, summary, sha256, bytes: file.length };
    }
    return { recognised: true, ...described, sha256, bytes: file.length };
  }

  /** The longest start of the file that is a recorded document: what an incremental update was appended to. */
  private async earlierVersion(file: Buffer) {
    const hashes = prefixHashes(file, earlierVersionLengths(file));
    const rows = await this.find([...hashes.values()]);
    const matches = [...hashes]
      .map(([length, sha256]) => ({ length, row: rows.find((row) => row.sha256 === sha256) }))
      .filter((match): match is { length: number; row: ChangeOrderDocumentRow } => match.row !== undefined);
    return matches.at(-1);
  }

  private find(sha256s: string[]): Promise<ChangeOrderDocumentRow[]> {
    return findChangeOrderDocuments(this.platform.sql, sha256s);
  }

  private async describe(row: ChangeOrderDocumentRow, appendedBytes: number) {
    const state = await this.platform.readModel.projectState(row.projectId);
    const order = state?.changeOrders.get(row.changeOrderId);
    if (!state || !order) return undefined;
    const number = orderNumber({ number: order.number, revision: row.revision });
    const changeOrder = { number, revision: row.revision, project: state.name, client: state.client.name };
    const signed = row.kind === 'sealed' ? order.signature : undefined;
    const signature = signed && { signerName: signed.signer.name, signedAt: signed.signedAt };
    const summary = summaryOf(row.kind, appendedBytes, changeOrder, signature);
    return {
      summary,
      kind: row.kind,
      intact: appendedBytes === 0,
      appendedBytes,
      recordedSha256: row.sha256,
      changeOrder,
      ...(signature ? { signature } : {}),
    };
  }
}

/** One plain sentence or two: what the file is, and when it is not exactly a recorded document, why not. */
function summaryOf(
  kind: ChangeOrderDocumentKind,
  appendedBytes: number,
  changeOrder: { number: string; project: string; client: string },
  signature: { signerName: string; signedAt: string } | undefined,
): string {
  const what = `${changeOrder.number} of ${changeOrder.project} for ${changeOrder.client}`;
  const by = signature ? `, signed by ${signature.signerName} on ${formatUtcTimestamp(signature.signedAt)}` : '';
  if (appendedBytes === 0) {
    return kind === 'sealed'
      ? `This is the sealed document of ${what}${by}, byte for byte as sealed.`
      : `This is ${what} exactly as issued for signature; this copy carries no signature.`;
  }
  const copy = `${kind} document`;
  return (
    `Changed after ${kind === 'sealed' ? 'sealing' : 'issue'}: ${appendedBytes} bytes appended. ` +
    `The file begins with the ${copy} of ${what}${by}, but continues: it is NOT the ${copy}.`
  );
}
