import { startTsaResponder, unreachableTsaUrl, type TsaResponder } from '../../../../test/support/tsa-responder';
import { requestTimeStamp, TimeStampUnavailableError } from './time-stamp';

describe('requestTimeStamp against an RFC 3161 responder', () => {
  let tsa: TsaResponder;

  beforeAll(async () => {
    tsa = await startTsaResponder();
  });

  afterEach(() => {
    tsa.behaviour = 'grant';
  });

  afterAll(async () => {
    await tsa.close();
  });

  it('returns the token and the time the authority asserts', async () => {
    const before = Date.now();
    const stamp = await requestTimeStamp(tsa.url, Buffer.from('a signature value'));
    expect(stamp.token.length).toBeGreaterThan(500);
    // accuracy is one second, and genTime is written to the second
    expect(stamp.time.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
    expect(stamp.time.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it.each([
    ['reject', 'the time-stamp authority refused the request (PKIStatus 2)'],
    ['error', 'the time-stamp authority answered HTTP 500'],
  ] as const)('refuses when the authority answers with %s', async (behaviour, reason) => {
    tsa.behaviour = behaviour;
    await expect(requestTimeStamp(tsa.url, Buffer.from('x'))).rejects.toMatchObject({ reason });
  });

  it('refuses a token that was made for other data, such as one replayed from an earlier request', async () => {
    await requestTimeStamp(tsa.url, Buffer.from('first'));
    tsa.behaviour = 'replay';
    await expect(requestTimeStamp(tsa.url, Buffer.from('second'))).rejects.toMatchObject({
      reason: 'the time-stamp token is for other data than the signature',
    });
  });

  it('says the authority could not be reached when nothing answers', async () => {
    const refused = requestTimeStamp(await unreachableTsaUrl(), Buffer.from('x'));
    await expect(refused).rejects.toBeInstanceOf(TimeStampUnavailableError);
    await expect(refused).rejects.toMatchObject({
      message: 'No trusted time for the seal: the time-stamp authority could not be reached (ECONNREFUSED)',
    });
  });
});
