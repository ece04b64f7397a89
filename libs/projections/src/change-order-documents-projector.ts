import { ProjectEvent } from '@scope-ledger/domain';
import { SqlQueryable } from '@scope-ledger/event-store';
import { AppliedEvent, HandlerBatch, ProjectEventHandler } from './project-event-handler';
import { UpsertColumn, upsertRows } from './record-tables';

/** Which copy of a change order a document is: as issued for signature, or signed and sealed. */
export type ChangeOrderDocumentKind = 'issued' | 'sealed';

/** What a document's SHA-256 says about it, from `change_order_documents`. */
export interface ChangeOrderDocumentRow {
  readonly sha256: string;
  readonly projectId: string;
  readonly changeOrderId: string;
  /** 0 for the order as first issued, n for its revision Rn. */
  readonly revision: number;
  readonly kind: ChangeOrderDocumentKind;
}

/** The first issue of an order; its revisions are numbered from 1. */
export const FIRST_ISSUE = 0;

/** A document an event records; a sealed one's revision is that of the issued document it seals. */
type RecordedDocument =
  | { readonly kind: 'issued'; readonly sha256: string; readonly changeOrderId: string; readonly revision: number }
  | { readonly kind: 'sealed'; readonly sha256: string; readonly changeOrderId: string; readonly sealsSha256: string };

/** The documents an event records: an issue and each revision issue a document, a signature seals one. */
function documentsRecordedBy(event: ProjectEvent): RecordedDocument[] {
  switch (event.type) {
    case 'ChangeOrderIssued': {
      const { documentSha256, changeOrderId } = event.data;
      return [{ kind: 'issued', sha256: documentSha256, changeOrderId, revision: FIRST_ISSUE }];
    }
    case 'ChangeOrderRevised': {
      const { documentSha256, changeOrderId, revision } = event.data;
      return [{ kind: 'issued', sha256: documentSha256, changeOrderId, revision }];
    }
    case 'ChangeOrderSigned': {
      const { signedDocumentSha256, documentSha256, changeOrderId } = event.data;
      return [{ kind: 'sealed', sha256: signedDocumentSha256, changeOrderId, sealsSha256: documentSha256 }];
    }
    default:
      return [];
  }
}

/**
 * Keeps `change_order_documents` up to date: every issued and sealed change-order PDF by its
 * SHA-256, so that anyone holding a PDF can learn which order and revision it is.
 */
export class ChangeOrderDocumentsProjector implements ProjectEventHandler {
  readonly tables = ['change_order_documents'];

  async begin(): Promise<HandlerBatch> {
    const recorded: { projectId: string; document: RecordedDocument }[] = [];
    return {
      handle({ projectId, event }: AppliedEvent) {
        for (const document of documentsRecordedBy(event)) recorded.push({ projectId, document });
      },
      async write(tx: SqlQueryable) {
        const rows = await rowsOf(tx, recorded);
        const columns: UpsertColumn[] = [
          ['sha256', 'text', rows.map((row) => row.sha256)],
          ['project_id', 'text', rows.map((row) => row.projectId)],
          ['change_order_id', 'text', rows.map((row) => row.changeOrderId)],
          ['revision', 'bigint', rows.map((row) => row.revision)],
          ['kind', 'text', rows.map((row) => row.kind)],
        ];
        await upsertRows(tx, 'change_order_documents', ['sha256'], columns);
      },
    };
  }
}

/**
 * A row per document hash, the later record winning (in a batch as in a rebuild). A seal's revision is
 * that of the issued document it seals, recorded earlier in this batch or in the table already.
 */
async function rowsOf(
  tx: SqlQueryable,
  recorded: readonly { projectId: string; document: RecordedDocument }[],
): Promise<ChangeOrderDocumentRow[]> {
  const sealed = recorded.flatMap(({ document }) => (document.kind === 'sealed' ? [document.sealsSha256] : []));
  const issuedRevisions = new Map<string, number>();
  for (const row of await findChangeOrderDocuments(tx, sealed))
    if (row.kind === 'issued') issuedRevisions.set(row.sha256, row.revision);
  const rows = new Map<string, ChangeOrderDocumentRow>();
  for (const { projectId, document } of recorded) {
    const { sha256, changeOrderId } = document;
    if (document.kind === 'issued') {
      issuedRevisions.set(sha256, document.revision);
      rows.set(sha256, { sha256, projectId, changeOrderId, revision: document.revision, kind: 'issued' });
    } else {
      const revision = issuedRevisions.get(document.sealsSha256) ?? FIRST_ISSUE;
      rows.set(sha256, { sha256, projectId, changeOrderId, revision, kind: 'sealed' });
    }
  }
  return [...rows.values()];
}

/** The change-order documents among these hashes. */
export async function findChangeOrderDocuments(
  sql: SqlQueryable,
  sha256s: readonly string[],
): Promise<ChangeOrderDocumentRow[]> {
  if (sha256s.length === 0) return [];
  const { rows } = await sql.query<ChangeOrderDocumentRow>(
    `SELECT sha256, project_id AS "projectId", change_order_id AS "changeOrderId", revision::int AS revision, kind
     FROM change_order_documents WHERE sha256 = ANY($1::text[])`,
    [sha256s],
  );
  return rows;
}
