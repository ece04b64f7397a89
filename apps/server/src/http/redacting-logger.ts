import { ConsoleLogger, LogLevel } from '@nestjs/common';

const SIGNING_PATH = /(\/sign\/[A-Za-z0-9_-]{4})[A-Za-z0-9_%.-]*/g;

/** A signing link's token lets anyone sign: logs keep its first four characters only. */
export function redactSigningTokens(text: string): string {
  return text.replace(SIGNING_PATH, '$1…');
}

function redact(value: unknown): unknown {
  if (typeof value === 'string') return redactSigningTokens(value);
  if (value instanceof Error) {
    const copy = new Error(redactSigningTokens(value.message));
    copy.name = value.name;
    copy.stack = value.stack && redactSigningTokens(value.stack);
    return copy;
  }
  return value;
}

/** Nest's console logger with signing tokens masked in every line, messages and stacks alike. */
export class RedactingLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
    params?: Record<string, unknown>,
  ): void {
    super.printMessages(messages.map(redact), context, logLevel, writeStreamType, redact(errorStack), params);
  }

  protected override printStackTrace(stack: string): void {
    super.printStackTrace(typeof stack === 'string' ? redactSigningTokens(stack) : stack);
  }
}
