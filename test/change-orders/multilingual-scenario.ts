import type { TestServer } from '../support/test-server';
import { openProject, requests } from './change-order-scenario';

/**
 * A drafted order whose client (Polish), requester (Greek), request (Cyrillic and the given text), item
 * (Chinese) and signer (Polish) are named as people type them, through the API.
 */
export async function multilingualDraft(
  t: TestServer,
  names: { project: string; request: string },
): Promise<{ projectId: string; changeOrderId: string }> {
  const projectId = await openProject(t, names.project, {
    client: { name: 'Gabinet Żółć', email: 'biuro@gabinet-zolc.example' },
  });
  const { log, assessment } = requests.mfa;
  const logged = await t.api
    .post(`/api/projects/${projectId}/change-requests`, {
      ...log,
      title: names.request,
      requestedBy: { name: 'Γιώργος Παπαδόπουλος', email: 'giorgos@gabinet-zolc.example' },
    })
    .expect(201);
  await t.api
    .post(`/api/projects/${projectId}/change-requests/${logged.body.id}/assessment`, {
      ...assessment,
      lines: [{ ...assessment.lines[0], title: '王小明 (Wang) desk' }],
    })
    .expect(200);
  const drafted = await t.api
    .post(`/api/projects/${projectId}/change-orders`, {
      changeRequestIds: [logged.body.id],
      signer: { name: 'Łukasz Więckowski', email: 'lukasz@gabinet-zolc.example' },
    })
    .expect(201);
  return { projectId, changeOrderId: drafted.body.id as string };
}
