import { Type } from '@nestjs/common';

/**
 * The DTO class an API route validates a parameter with, read the way Nest's ValidationPipe
 * reads it (TypeScript's design:paramtypes). Pages validate their forms with the very same
 * class, so a page and the API refuse the same input with the same field names.
 */
export function apiParameterType(controller: Type, method: string, index: number): Type<object> {
  const types = Reflect.getMetadata('design:paramtypes', controller.prototype, method) as Type<object>[] | undefined;
  const type = types?.[index];
  if (!type) throw new Error(`${controller.name}.${method} has no parameter ${index} to validate with`);
  return type;
}
