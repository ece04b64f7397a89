import { dateTime, named, nullable, object, text } from '../http/answers';

/** The answers of the public signing routes (a signing page posting its forms gets 303 to the page instead). */

export const SigningStep = named('SigningStep', {
  type: 'object',
  description: 'what the step recorded: consent with its disclosure hash, a code sent, withdrawn or verified at',
});

export const Withdrawn = named('ConsentWithdrawn', object({ withdrawnAt: dateTime }));

export const CodeVerified = named('CodeVerified', object({ verifiedAt: dateTime }));

export const Signed = named(
  'Signed',
  object({
    status: text,
    changeOrder: text,
    signedAt: nullable(dateTime),
    signedDocumentSha256: nullable(text),
    download: { type: 'string', description: 'where the signed PDF is fetched' },
  }),
);

export const SigningDeclined = named('SigningDeclined', object({ status: text, changeOrder: text }));

export const DocumentCheckResult = named(
  'DocumentCheckResult',
  object(
    {
      recognised: { type: 'boolean' },
      summary: text,
      sha256: text,
      bytes: { type: 'integer' },
      kind: { type: 'string', description: 'which recorded document the file is, or starts with' },
      intact: { type: 'boolean' },
      appendedBytes: { type: 'integer' },
      recordedSha256: text,
      changeOrder: object({ number: text, revision: { type: 'integer' }, project: text, client: text }),
      signature: object({ signerName: text, signedAt: dateTime }),
    },
    ['kind', 'intact', 'appendedBytes', 'recordedSha256', 'changeOrder', 'signature'],
  ),
);
