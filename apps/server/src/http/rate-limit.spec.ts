import type { NextFunction, Request, Response } from 'express';
import { signingRateLimit } from './rate-limit';

interface Answer {
  passed: boolean;
  status?: number;
  retryAfter?: string;
  body?: string;
}

function call(limit: ReturnType<typeof signingRateLimit>, ip: string): Answer {
  const answer: Answer = { passed: false };
  const response = {
    status(code: number) {
      answer.status = code;
      return this;
    },
    setHeader(name: string, value: string) {
      if (name === 'Retry-After') answer.retryAfter = value;
      return this;
    },
    type() {
      return this;
    },
    send(body: string) {
      answer.body = body;
      return this;
    },
  } as unknown as Response;
  const next: NextFunction = () => {
    answer.passed = true;
  };
  limit({ ip, socket: {} } as Request, response, next);
  return answer;
}

describe('signing link rate limit', () => {
  it(
    'lets an address make its allowance per minute, ' + 'then answers 429 with Retry-After until the minute is over',
    () => {
      let now = 1_000_000;
      const limit = signingRateLimit(3, () => now);
      expect([1, 2, 3].map(() => call(limit, '203.0.113.7').passed)).toEqual([true, true, true]);

      now += 20_000;
      const refused = call(limit, '203.0.113.7');
      expect(refused).toMatchObject({ passed: false, status: 429, retryAfter: '40' });
      expect(JSON.parse(refused.body!)).toMatchObject({ status: 429, title: 'Too many requests' });

      now += 40_000;
      expect(call(limit, '203.0.113.7').passed).toBe(true);
    },
  );

  it('counts each address on its own', () => {
    const limit = signingRateLimit(1, () => 0);
    expect(call(limit, '203.0.113.7').passed).toBe(true);
    expect(call(limit, '203.0.113.7').passed).toBe(false);
    expect(call(limit, '198.51.100.20').passed).toBe(true);
  });
});
